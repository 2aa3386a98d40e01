// ts-jest AST transformer running the @nestjs/swagger compiler plugin with the options `nest build`
// gets from nest-cli.json, so that suites reading the OpenAPI document see what the built service
// serves (bounds taken from class-validator decorators, required from `?`, defaults from initialisers).
const { before } = require('@nestjs/swagger/plugin');
const nestCli = require('./nest-cli.json');

const entry = (nestCli.compilerOptions.plugins ?? []).find((plugin) => (plugin.name ?? plugin) === '@nestjs/swagger');
if (!entry) throw new Error('nest-cli.json has no @nestjs/swagger plugin entry');
const options = entry.options ?? {};

module.exports.name = 'nestjs-swagger-plugin';
// ts-jest keys its cache on name and version: the options are part of the version, so changing
// them in nest-cli.json transforms the files again instead of reusing the cached output.
module.exports.version = `1-${JSON.stringify(options)}`;
// The plugin needs the type checker: ts-jest gives its compiler, whose program exists only
// outside isolatedModules (see tsconfig.jest-plugin.json).
module.exports.factory = (compiler) => before({ ...options }, compiler.program);
