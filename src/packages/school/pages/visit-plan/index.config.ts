export default definePageConfig({ navigationBarTitleText: '全员家访方案', enablePullDownRefresh: true })
