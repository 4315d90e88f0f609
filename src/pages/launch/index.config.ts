export default definePageConfig({ navigationBarTitleText: '共育' })
