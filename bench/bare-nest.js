'use strict';
// Second baseline for the benchmarks: the frameworks the service is built on, without its
// security layer. A NestJS app on Express with Nest's ValidationPipe (the service's options) and
// the service's own /nernst DTO from dist/, and no guards, logging, metrics or security headers.
// service / bare NestJS is what the security layer costs; bare NestJS / bare Express is what the
// frameworks cost. Needs `npm run build` (npm run bench does it).
require('reflect-metadata');
const path = require('node:path');
const { Body, Controller, Get, HttpCode, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
// eslint-disable-next-line security/detect-non-literal-require -- this repository's compiled DTO
const { NernstRequestDto } = require(path.join(__dirname, '..', 'dist', 'simulation', 'dto', 'nernst.dto.js'));

const R = 8.314;
const F = 96485.33212;

class BareController {
  health() {
    return { status: 'healthy', version: '4.1.0' };
  }

  nernst(b) {
    const e = ((R * b.temperature_k) / (b.z_valence * F)) * Math.log(b.concentration_out_molar / b.concentration_in_molar);
    return { potential_mV: e * 1000 };
  }
}

// The decorators TypeScript would emit for `@Get('health')`, `@Post('nernst') @HttpCode(200)` and
// `@Body() b: NernstRequestDto` (this file is plain JavaScript, run without a build of its own).
const method = (name) => Object.getOwnPropertyDescriptor(BareController.prototype, name);
Reflect.decorate([Get('health')], BareController.prototype, 'health', method('health'));
Reflect.decorate([Post('nernst'), HttpCode(200)], BareController.prototype, 'nernst', method('nernst'));
Body()(BareController.prototype, 'nernst', 0);
Reflect.defineMetadata('design:paramtypes', [NernstRequestDto], BareController.prototype, 'nernst');
Reflect.decorate([Controller()], BareController);

class BareModule {}
Reflect.decorate([Module({ controllers: [BareController] })], BareModule);

async function main() {
  const app = await NestFactory.create(BareModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true, forbidUnknownValues: true, stopAtFirstError: true }));
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  await app.listen(Number(process.env.PORT || 0), '127.0.0.1');
  process.on('SIGTERM', () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((err) => {
  process.stderr.write(`bare NestJS did not start: ${err.message}\n`);
  process.exit(1);
});
