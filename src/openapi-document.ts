import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorBody } from './common/api-error.dto';

/**
 * The HTTP contract as OpenAPI 3: served at /docs (API_DOCS) and written to src/contract/openapi.json
 * by `npm run contract:gen`, from which the SPA's types are generated. Schemas come from the DTO and
 * response classes (the @nestjs/swagger CLI plugin in nest-cli.json reads their types and
 * class-validator rules) and from @ApiResponse decorators for the errors.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vybzz API')
    .setDescription(
      "Creators, posts and browser-to-live streaming. Errors are JSON in Nest's shape " +
        '`{statusCode, message, error}`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    extraModels: [ApiErrorBody],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Every route may fail in Nest's error shape; routes list the statuses they answer with @ApiErrors.
  const error = {
    description: 'An error',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBody) } } },
  };
  for (const path of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = path[method];
      if (op) op.responses = { ...op.responses, default: op.responses.default ?? error };
    }
  }
  return doc;
}
