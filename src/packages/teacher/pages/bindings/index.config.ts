export default definePageConfig({ navigationBarTitleText: '家长绑定', enablePullDownRefresh: true })
