/**
 * The Grafana dashboard and the Prometheus scrape config in deploy/ stay in
 * step with the code: every metric a panel queries is one the services
 * expose, and Prometheus scrapes each service of docker-compose.yml on the
 * port it listens on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ServiceMetrics } from './metrics';

const ROOT = join(__dirname, '..', '..', '..');

describe('deploy/ monitoring files', () => {
  it('the dashboard queries only metrics the services expose', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(ROOT, 'deploy/grafana/dashboards/alphafeed.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const queried = new Set(
      exprs
        .flatMap((e) => e.match(/\b(alphafeed|process|nodejs)_[a-z0-9_]+/g) ?? [])
        .map((m) => m.replace(/_(bucket|sum|count)$/, '')),
    );
    const metrics = new ServiceMetrics({ service: 'features', region: 'us' });
    const exposed = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
    // Every metric the issue asks for is on a panel.
    for (const name of [
      'alphafeed_consumer_lag_messages',
      'alphafeed_bars_processed_total',
      'alphafeed_dates_processed_total',
      'alphafeed_eod_to_output_seconds',
      'alphafeed_dead_letters_total',
      'alphafeed_restatements_total',
      'alphafeed_store_write_seconds',
      'alphafeed_model_info',
      'alphafeed_model_age_seconds',
      'alphafeed_training_duration_seconds',
      'process_resident_memory_bytes',
    ])
      expect(queried).toContain(name);
  });

  it('Prometheus scrapes every service of docker-compose.yml on its port', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, unknown> }>;
    };
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const services = ['features', 'labels', 'trainer', 'scorer', 'portfolio'].map(
      (name) => `${name}:${String(compose.services[name].environment?.PORT)}`,
    );
    expect(targets.sort()).toEqual(services.sort());
    expect(prometheus.scrape_configs[0].metrics_path).toBe('/metrics');
  });
});
