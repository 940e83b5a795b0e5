/** Runtime settings for the SPA. */
export class AppConfigResponse {
  authMode!: 'local' | 'clerk';
  /** Set with Clerk: the publishable key the SPA's Clerk client needs. */
  clerkPublishableKey!: string | null;
  mediaProvider!: 'local' | 'mux';
}
