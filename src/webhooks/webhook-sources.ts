import { Injectable } from '@nestjs/common';
import type { WebhookSource } from './webhook-source';
import { WebhookStats } from './webhook-stats.service';

/**
 * The registry of webhook sources. Features register theirs while the app starts (onModuleInit), so
 * this layer knows no source by name: the inbox, the retry schedule and accept() look them up here.
 */
@Injectable()
export class WebhookSources {
  private readonly sources = new Map<string, WebhookSource>();

  constructor(private readonly stats: WebhookStats) {}

  register(source: WebhookSource): void {
    if (this.sources.has(source.name)) throw new Error(`webhook source "${source.name}" is registered twice`);
    this.sources.set(source.name, source);
    this.stats.track(source.name);
  }

  get(name: string): WebhookSource | undefined {
    return this.sources.get(name);
  }
}
