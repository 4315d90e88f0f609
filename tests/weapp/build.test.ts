/** What the weapp production build ships (and what it must not). */
import fs from 'node:fs'
import path from 'node:path'

const dist = process.env.WEAPP_DIST ?? path.resolve(__dirname, '..', '..', 'dist', 'weapp')
const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
  pages: string[]
  subPackages: Array<{ root: string; pages: string[] }>
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

it('has no preview sign-in page and no preview code: in WeChat the user is whoever WeChat says', () => {
  expect(app.pages).not.toContain('pages/preview-signin/index')
  const leaking = allFiles(dist).filter((f) => /\.(js|json|wxml)$/.test(f) && /preview\/signin|demo-users|previewToken/.test(fs.readFileSync(f, 'utf8')))
  expect(leaking).toEqual([])
})

it('starts at the launch page and has one subpackage per role (and the statistics the principal and the bureau share)', () => {
  expect(app.pages[0]).toBe('pages/launch/index')
  expect(app.pages).toEqual(expect.arrayContaining(['pages/roles/index', 'pages/consent/index', 'pages/privacy/index', 'pages/todo/index']))
  expect(app.subPackages.map((s) => s.root).sort()).toEqual(['packages/bureau', 'packages/counsellor', 'packages/guardian', 'packages/school', 'packages/stats', 'packages/teacher'])
  for (const s of app.subPackages) for (const page of s.pages) expect(fs.existsSync(path.join(dist, s.root, `${page}.js`))).toBe(true)
})
