/** A demo account of the H5 preview (local cloud only; never in the weapp). */
export interface DemoUser {
  openid: string
  name: string
  roleLabel: string
  description: string
}
