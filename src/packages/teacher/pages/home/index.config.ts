export default definePageConfig({ navigationBarTitleText: '教师首页' })
