export default definePageConfig({ navigationBarTitleText: '教职工', enablePullDownRefresh: true })
