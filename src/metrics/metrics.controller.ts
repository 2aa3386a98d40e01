import { Controller, Get, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { ApiErrorResponse, MetricsRoute, Public } from '../common';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.constants';
import { MetricsTokenErrors, MetricsTokenGuard } from './metrics-token.guard';

/**
 * prom-client writes NaN sample values as `Nan`; the text format spells it `NaN`, and strict
 * parsers reject anything else. Sample values end their line (no timestamps are written).
 */
export function normaliseExposition(text: string): string {
  return text.replace(/ Nan$/gm, ' NaN');
}

/**
 * GET /metrics: PrometheusModule's scrape route (its path comes from PrometheusScrapeModule in
 * prometheus-scrape.module.ts), with the service's access rules on top: public like the probes unless
 * MFN_METRICS_INCLUDE_IN_AUTH=true; MFN_METRICS_TOKEN adds a bearer token.
 */
@ApiTags('metrics')
@Public()
@MetricsRoute()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @UseGuards(MetricsTokenGuard)
  @ApiOperation({
    // The method is PrometheusController's `index`: the document names the operation itself.
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Prometheus text exposition format 0.0.4. When the MFN_METRICS_TOKEN secret is set, send ' +
      '`Authorization: Bearer <token>`; with MFN_METRICS_INCLUDE_IN_AUTH=true an API key with the metrics role is needed too.',
  })
  // The text format for the metrics; the refusals are the JSON envelope like everywhere else.
  @ApiOkResponse({ description: 'Metrics in Prometheus text format', content: { [PROMETHEUS_CONTENT_TYPE]: { schema: { type: 'string' } } } })
  @ApiErrorResponse({ errors: [MetricsTokenErrors.missing(), MetricsTokenErrors.invalid()], description: 'Metrics token missing or wrong' })
  // The parent declares the response as passthrough, so Nest writes what this returns. A
  // StreamableFile keeps the Content-Type set here byte for byte (res.send would re-serialise it
  // with its parameters reordered); `any` because the parent's signature says string.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async index(@Res({ passthrough: true }) res: Response): Promise<any> {
    const body = Buffer.from(normaliseExposition(await super.index(res)), 'utf8');
    res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(body, { type: PROMETHEUS_CONTENT_TYPE, length: body.length });
  }
}
