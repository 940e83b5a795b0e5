export class SessionUser {
  id!: string;
  displayName!: string;
}

export class DevLoginResponse {
  /** The session token: send it as `Authorization: Bearer <token>`. */
  token!: string;
  user!: SessionUser;
}
