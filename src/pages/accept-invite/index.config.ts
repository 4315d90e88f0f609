export default definePageConfig({ navigationBarTitleText: '校长邀请码' })
