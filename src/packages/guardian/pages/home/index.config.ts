export default definePageConfig({ navigationBarTitleText: '家长首页' })
