// The main package holds launch, role choice, consent, privacy, settings and the to-do list; each role has its
// own subpackage. The preview sign-in page exists only in the H5 preview build, never in the weapp.
const isPreview = process.env.TARO_ENV === 'h5'

export default defineAppConfig({
  pages: [
    'pages/launch/index',
    'pages/roles/index',
    'pages/consent/index',
    'pages/privacy/index',
    'pages/todo/index',
    'pages/settings/index',
    'pages/join-school/index',
    'pages/accept-invite/index',
    ...(isPreview ? ['pages/preview-signin/index'] : [])
  ],
  subPackages: [
    { root: 'packages/guardian', name: 'guardian', pages: ['pages/home/index', 'pages/children/index', 'pages/bind/index', 'pages/join/index', 'pages/counsel/index', 'pages/bookings/index'] },
    { root: 'packages/teacher', name: 'teacher', pages: ['pages/home/index', 'pages/bindings/index', 'pages/work/index', 'pages/log/index', 'pages/file/index', 'pages/record/index', 'pages/registry/index', 'pages/special/index'] },
    { root: 'packages/counsellor', name: 'counsellor', pages: ['pages/home/index', 'pages/slots/index', 'pages/session/index'] },
    { root: 'packages/school', name: 'school', pages: ['pages/home/index', 'pages/roster/index', 'pages/staff/index', 'pages/students/index', 'pages/teachers/index', 'pages/programme/index', 'pages/visit-plan/index'] },
    { root: 'packages/bureau', name: 'bureau', pages: ['pages/home/index', 'pages/schools/index', 'pages/programme/index', 'pages/application/index'] },
    { root: 'packages/stats', name: 'stats', pages: ['pages/school/index', 'pages/target/index', 'pages/gap/index', 'pages/county/index', 'pages/report/index', 'pages/coverage/index'] }
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1f7a5c',
    navigationBarTitleText: '共育',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f6f5'
  },
  // Required for subscribe messages and for the user to see how their data is handled.
  __usePrivacyCheck__: true
})
