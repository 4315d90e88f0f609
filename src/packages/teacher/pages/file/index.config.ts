export default definePageConfig({ navigationBarTitleText: '学生档案', enablePullDownRefresh: true })
