export default definePageConfig({ navigationBarTitleText: '目标统计', enablePullDownRefresh: true })
