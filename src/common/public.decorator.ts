import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** The route needs no sign-in (a token, when sent and valid, still identifies the caller). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
