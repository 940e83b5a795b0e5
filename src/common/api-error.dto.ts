import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Every error the API answers, in Nest's shape. */
export class ApiErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong; the list of failed rules for a refused body or query',
  })
  message!: string | string[];

  @ApiProperty({ required: false, example: 'Bad Request' })
  error?: string;
}

const MEANING: Record<number, string> = {
  400: 'The body, query or path is not valid (unknown fields included)',
  401: 'No valid session token (or a refused webhook signature)',
  403: 'Signed in, but not allowed to do this',
  404: 'No such thing (or the feature is not configured here)',
  409: 'Conflicts with the current state',
  429: 'Too many requests: try again after Retry-After seconds',
  502: 'The media provider did not answer: try again in a minute',
  503: 'Could not be done now: try again later',
};

/** Documents the error answers of a route, each with the ApiErrorBody schema. */
export const ApiErrors = (...statuses: (keyof typeof MEANING)[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: MEANING[status] ?? 'Error', type: ApiErrorBody }),
    ),
  );
