import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments } from 'class-validator';
import { normaliseText, textProblem, type TextKind } from './safe-text';

/**
 * Every text field of every DTO carries this (issue 16 item 8): the value is normalised
 * (`normaliseText`) and refused with 400 when it holds control characters, lone surrogates, or (in a
 * name) bidi controls. Non-strings pass through untouched for `@IsString()` to refuse.
 */
export function SafeText(kind: TextKind = 'line'): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normaliseText(value, kind) : value,
    ),
    ValidateBy({
      name: 'safeText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, kind) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'text'} ${typeof args?.value === 'string' ? textProblem(args.value, kind) : 'is not text'}`,
      },
    }),
  );
}
