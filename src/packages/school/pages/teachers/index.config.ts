export default definePageConfig({ navigationBarTitleText: '教师管理', enablePullDownRefresh: true })
