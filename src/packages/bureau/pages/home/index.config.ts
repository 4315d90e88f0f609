export default definePageConfig({ navigationBarTitleText: '县域总览' })
