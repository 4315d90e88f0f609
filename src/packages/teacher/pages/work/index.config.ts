export default definePageConfig({ navigationBarTitleText: '我的家访任务', enablePullDownRefresh: true })
