export default definePageConfig({ navigationBarTitleText: '指导师首页' })
