export default definePageConfig({ navigationBarTitleText: '家访覆盖率', enablePullDownRefresh: true })
