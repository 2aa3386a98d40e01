// Jest transformer for the files the @nestjs/swagger compiler plugin reads in `nest build` (see
// jest.config.js): ts-jest with the plugin (jest.swagger-plugin.js), outside isolatedModules since
// the plugin needs the type checker.
//
// ts-jest keeps one compiler per Jest project configuration, whatever options the transform entry
// gives: the entry that compiles a project's first file would decide for every entry. This
// transformer hands ts-jest a copy of the project configuration marked as its own, so it gets its
// own compiler with its own options, and the other files keep the isolated one.
const tsJest = require('ts-jest').default;

const transformer = tsJest.createTransformer({
  tsconfig: 'tsconfig.jest-plugin.json',
  astTransformers: { before: ['<rootDir>/jest.swagger-plugin.js'] },
});

const ownConfigs = new WeakMap();

function withOwnConfig(options) {
  let config = ownConfigs.get(options.config);
  if (config === undefined) {
    config = { ...options.config, globals: { ...options.config.globals, swaggerPluginTransform: true } };
    ownConfigs.set(options.config, config);
  }
  return { ...options, config };
}

module.exports = {
  process: (source, path, options) => transformer.process(source, path, withOwnConfig(options)),
  getCacheKey: (source, path, options) => transformer.getCacheKey(source, path, withOwnConfig(options)),
};
