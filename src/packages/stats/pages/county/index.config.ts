export default definePageConfig({ navigationBarTitleText: '全县统计', enablePullDownRefresh: true })
