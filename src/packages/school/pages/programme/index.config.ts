export default definePageConfig({ navigationBarTitleText: '示范校申报', enablePullDownRefresh: true })
