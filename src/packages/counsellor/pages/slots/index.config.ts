export default definePageConfig({ navigationBarTitleText: '我的咨询时段', enablePullDownRefresh: true })
