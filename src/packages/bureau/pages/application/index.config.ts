export default definePageConfig({ navigationBarTitleText: '示范校申报详情', enablePullDownRefresh: true })
