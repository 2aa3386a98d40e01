/**
 * Per-tenant FIFO queues served in turn: next() takes the oldest job of the tenant after the one
 * served last, so a tenant with 30 queued jobs gets one run for every run of each other tenant.
 */
export class TenantRoundRobin {
  private readonly queues = new Map<string, string[]>();
  private readonly order: string[] = [];
  private cursor = 0;

  push(tenant: string, id: string): void {
    let queue = this.queues.get(tenant);
    if (queue === undefined) {
      queue = [];
      this.queues.set(tenant, queue);
      this.order.push(tenant);
    }
    queue.push(id);
  }

  sizeOf(tenant: string): number {
    return this.queues.get(tenant)?.length ?? 0;
  }

  remove(tenant: string, id: string): void {
    const queue = this.queues.get(tenant);
    const at = queue?.indexOf(id) ?? -1;
    if (queue !== undefined && at >= 0) queue.splice(at, 1);
    if (queue !== undefined && queue.length === 0) this.drop(tenant);
  }

  next(): string | undefined {
    if (this.order.length === 0) return undefined;
    if (this.cursor >= this.order.length) this.cursor = 0;
    const tenant = this.order[this.cursor];
    const queue = this.queues.get(tenant);
    const id = queue?.shift();
    if (queue === undefined || queue.length === 0) this.drop(tenant);
    else this.cursor++;
    return id;
  }

  private drop(tenant: string): void {
    this.queues.delete(tenant);
    const at = this.order.indexOf(tenant);
    if (at >= 0) {
      this.order.splice(at, 1);
      if (at < this.cursor) this.cursor--;
    }
  }
}
