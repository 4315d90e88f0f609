export default definePageConfig({ navigationBarTitleText: '学生管理', enablePullDownRefresh: true })
