import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateNested, Validate, ValidatorConstraint } from 'class-validator';
import fc from 'fast-check';
import { KeyConfigRequestDto, CreateKeyRequestDto } from '../../crypto/dto/key-admin.dto';
import { EncryptRequestDto, KeypairRequestDto, SignRequestDto, VerifyRequestDto, DecryptRequestDto } from '../../crypto/dto/crypto.dto';
import { AggregateOptionsDto } from '../../simulation/dto/aggregate.dto';
import { NernstRequestDto } from '../../simulation/dto/nernst.dto';
import { SimulateRequestDto } from '../../simulation/dto/simulate.dto';
import { ValidateRequestDto } from '../../simulation/dto/validate.dto';
import { compileDto } from './compiled-dto';
import { AppValidationPipe } from './validation.pipe';
import { nullAsAbsent } from './value-transforms';

type Ctor = new () => object;

/** The pipe's full path (class-transformer + class-validator), which the compiled test must agree with. */
const pipe = new AppValidationPipe();
async function fullPath(metatype: Ctor, body: Record<string, unknown>): Promise<{ ok: true; value: object } | { ok: false }> {
  const metadata: ArgumentMetadata = { type: 'body', metatype };
  try {
    const value = (await (pipe as unknown as { transformFully: (v: unknown, m: ArgumentMetadata) => Promise<object> }).transformFully(
      structuredClone(body),
      metadata,
    )) as object;
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

/** A valid body per compiled DTO, and values near and across each rule's edges. */
const CASES: { dto: Ctor; valid: Record<string, unknown>; values: unknown[] }[] = [
  {
    dto: NernstRequestDto,
    valid: { concentration_out_molar: 0.005, concentration_in_molar: 0.14 },
    values: [1, 2, 3, 4, 0, -1, 1.5, 0.005, 0.14, 273, 310, 373, 372.9, 374, 1e-300],
  },
  {
    dto: SimulateRequestDto,
    valid: {},
    values: [1, 2, 4, 8, 16, 32, 64, 128, 256, 257, 0, -1, 0.1, 0.25, 0.26, 0.5, 1000, 10000, 42, true, false],
  },
  { dto: ValidateRequestDto, valid: {}, values: [0, 1, 2, 5, 10, 42, 100, 1000, 0.001, 0.01, true, false, -1, 2.5] },
  { dto: AggregateOptionsDto, valid: {}, values: [0, 1, 2, 10, 1000, 1001, 0.2, 0.49, 0.5, 0.51, -0.1, 42, 2 ** 31, 2 ** 32] },
  { dto: KeyConfigRequestDto, valid: { min_decryption_version: 1 }, values: [0, 1, 2, 3, 1.5, -1, 1e9] },
  // Crypto bodies: strings with base64 and key-id rules, and the null-as-absent transform.
  ...(() => {
    const strings = [null, '', 'aGVsbG8=', 'aGVsbG8', 'aGVsbG9=', 'Zg==', 'Zh==', '!!!!', 'key_1', 'my-key.v2:x', 'bad key', 'x'.repeat(65), 'mfn:v1:aGVsbG8=', 7, true];
    return [
      { dto: EncryptRequestDto as Ctor, valid: { plaintext: 'aGVsbG8=' }, values: strings },
      { dto: DecryptRequestDto as Ctor, valid: { ciphertext: 'mfn:v1:aGVsbG8=' }, values: strings },
      { dto: SignRequestDto as Ctor, valid: { message: 'aGVsbG8=' }, values: strings },
      { dto: VerifyRequestDto as Ctor, valid: { message: 'aGVsbG8=', signature: 'Zg==' }, values: [...strings, 'A'.repeat(300)] },
      { dto: KeypairRequestDto as Ctor, valid: {}, values: [...strings, 'Ed25519', 'ECDH', 'RSA', 'ed25519'] },
    ];
  })(),
];

const hostile = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('1', '0.5', 'NaN', 'Infinity', '', ' 1'),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

function propertiesOf(dto: Ctor, valid: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(new dto()), ...Object.keys(valid)])];
}

describe('compiled DTO accept test', () => {
  it.each(CASES.map((c) => [c.dto.name, c]))('compiles %s and accepts its valid body as the full path does', async (_name, c) => {
    const accept = compileDto(c.dto);
    expect(accept).toBeDefined();
    const fast = accept!({ ...c.valid });
    const full = await fullPath(c.dto, c.valid);
    expect(full.ok).toBe(true);
    expect(fast).toBeInstanceOf(c.dto);
    expect(fast).toEqual((full as { value: object }).value);
  });

  it.each(CASES.map((c) => [c.dto.name, c]))(
    '%s: whatever it accepts, the full path accepts with the same instance; valid primitive bodies are accepted',
    async (_name, c) => {
      const accept = compileDto(c.dto)!;
      const names = propertiesOf(c.dto, c.valid);
      const defaults = { ...new c.dto(), ...c.valid } as Record<string, unknown>;
      // Mostly the field's own good value (so whole bodies are often valid), else edge and hostile values.
      const field = (name: string) =>
        fc.oneof(
          { arbitrary: fc.constant(defaults[name]), weight: 12 },
          { arbitrary: fc.constantFrom(...c.values), weight: 2 },
          { arbitrary: hostile, weight: 1 },
        );
      const body = fc.record(
        {
          ...Object.fromEntries(names.map((n) => [n, field(n)])),
          extra_field: fc.oneof(fc.integer(), fc.string()),
          __proto__: fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 1 }),
        },
        { requiredKeys: [] },
      );
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(body, async (generated) => {
          const plain = { ...c.valid, ...JSON.parse(JSON.stringify(generated)) } as Record<string, unknown>;
          const fast = accept(structuredClone(plain));
          const full = await fullPath(c.dto, plain);
          if (fast !== undefined) {
            accepted++;
            expect(full.ok).toBe(true);
            expect(Object.getPrototypeOf(fast)).toBe(c.dto.prototype);
            expect(fast).toEqual((full as { value: object }).value);
            expect(Object.keys(fast).sort()).toEqual(Object.keys((full as { value: object }).value).sort());
          } else {
            refused++;
            const primitive = names.every((n) => plain[n] === null || typeof plain[n] !== 'object');
            // Declining is always safe; but a valid body of plain values must not miss the fast path.
            if (primitive) expect(full.ok).toBe(false);
          }
        }),
        { numRuns: 400, seed: 20261122 },
      );
      // Both outcomes occur, so neither assertion above was vacuous.
      expect(accepted).toBeGreaterThan(20);
      expect(refused).toBeGreaterThan(20);
    },
  );

  it('drops unknown fields and never copies nested values', () => {
    const accept = compileDto(NernstRequestDto)!;
    const out = accept({ concentration_out_molar: 0.005, concentration_in_molar: 0.14, admin: true }) as Record<string, unknown>;
    expect(out).toEqual({ z_valence: 1, concentration_out_molar: 0.005, concentration_in_molar: 0.14, temperature_k: 310 });
    expect(accept({ concentration_out_molar: { valueOf: 1 }, concentration_in_molar: 0.14 })).toBeUndefined();
    expect(accept({ concentration_out_molar: [0.005], concentration_in_molar: 0.14 })).toBeUndefined();
  });

  it('applies the null-as-absent transform as class-transformer does', async () => {
    const accept = compileDto(EncryptRequestDto as Ctor)!;
    const fast = accept({ plaintext: 'aGVsbG8=', key_id: null, associated_data: null }) as Record<string, unknown>;
    const full = await fullPath(EncryptRequestDto as Ctor, { plaintext: 'aGVsbG8=', key_id: null, associated_data: null });
    expect(fast).toEqual((full as { value: object }).value);
    expect(Object.keys(fast).sort()).toEqual(Object.keys((full as { value: object }).value).sort());
    expect(fast.key_id).toBeUndefined();
  });

  it('compiles CreateKeyRequestDto only if it has no transformer metadata', () => {
    // Whichever way it goes, a compiled test must agree with the full path on the basic case.
    const accept = compileDto(CreateKeyRequestDto as Ctor);
    if (accept) expect(accept({})).toBeUndefined();
  });

  it('refuses classes it cannot mirror exactly', () => {
    class Nested {
      @ValidateNested()
      inner: object = {};
    }
    class Each {
      @IsInt({ each: true })
      list: number[] = [];
    }
    class Grouped {
      @IsInt({ groups: ['a'] })
      n = 1;
    }
    class Transformed {
      @Transform(({ value }) => Number(value))
      @IsNumber()
      n = 1;
    }
    class KnownTransformWithOptions {
      @Transform(nullAsAbsent, { toClassOnly: true, groups: ['x'] })
      @IsNumber()
      n = 1;
    }
    class Unruled {
      @IsInt()
      n = 1;
      note = 'x';
    }
    class Accessor {
      private v = 1;
      @IsInt()
      get n(): number {
        return this.v;
      }
    }
    @ValidatorConstraint({ async: true })
    class AsyncRule {
      validate(): Promise<boolean> {
        return Promise.resolve(true);
      }
    }
    class Async {
      @Validate(AsyncRule)
      n = 1;
    }
    class Empty {
      n = 1;
    }
    for (const dto of [Nested, Each, Grouped, Transformed, KnownTransformWithOptions, Unruled, Accessor, Async, Empty]) {
      expect(compileDto(dto as Ctor)).toBeUndefined();
    }
  });

  it('applies @IsOptional conditions like class-validator', async () => {
    class Opt {
      @IsOptional()
      @IsString()
      name?: string;

      @Min(0)
      @Max(10)
      @IsInt()
      n = 5;
    }
    const accept = compileDto(Opt)!;
    expect(accept({})).toEqual(Object.assign(new Opt(), {}));
    expect(accept({ name: null })).toEqual(Object.assign(new Opt(), { name: null }));
    expect(accept({ name: 3 })).toBeUndefined();
    expect(accept({ n: 11 })).toBeUndefined();
    expect((await fullPath(Opt, { name: null })).ok).toBe(true);
    expect((await fullPath(Opt, { name: 3 })).ok).toBe(false);
  });
});
