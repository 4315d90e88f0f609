export default definePageConfig({ navigationBarTitleText: '示范校创建', enablePullDownRefresh: true })
