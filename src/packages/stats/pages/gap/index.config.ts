export default definePageConfig({ navigationBarTitleText: '待跟进学生', enablePullDownRefresh: true })
