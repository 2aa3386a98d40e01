/* eslint-disable security/detect-non-literal-fs-filename -- test code: walks and reads the repository's k8s/ directory */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** One object of a manifest file. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Manifests are free-form YAML; tests narrow what they read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export interface ManifestDocument {
  file: string;
  object: K8sObject;
}

interface Validatable {
  validate(): void;
}

/** The schema models for every built-in kind the manifests use (kubernetes-models, offline). */
export const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

/** Every YAML document under `dir`, failing on any YAML error or warning. */
export function loadDocuments(dir: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  for (const path of yamlFilesUnder(dir)) {
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'), { uniqueKeys: true, strict: true })) {
      if (doc.errors.length > 0 || doc.warnings.length > 0) {
        throw new Error(`${relative(dir, path)}: ${[...doc.errors, ...doc.warnings].map((e) => e.message).join('; ')}`);
      }
      const object = doc.toJS() as K8sObject | null;
      if (object !== null) docs.push({ file: relative(dir, path), object });
    }
  }
  return docs;
}

/** Whether `labels` satisfies a matchLabels selector. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  // eslint-disable-next-line security/detect-object-injection -- `k` is a label name of the repository's own manifests
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
