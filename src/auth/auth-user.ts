/** Who is calling: our User row, attached to the request by the AuthGuard. */
export interface AuthUser {
  id: string;
  externalId: string;
  displayName: string;
}
