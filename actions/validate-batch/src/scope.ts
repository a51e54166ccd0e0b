export type Scope = 'environment' | 'batch' | 'table';

/** Where the loaded marker and the claim of one scope live, relative to the batch prefix. */
export interface ScopeNames {
  scope: Scope;
  /** 'production', 'qa / orders' or 'the whole batch': for messages. */
  label: string;
  marker: string;
  claim: string;
  /** The marker the old bash wrote (per batch), read and reported when it is not this scope's own marker. */
  legacyMarker?: string;
}

/**
 * The object names follow from the scope: `.loaded-production` (environment), `.loaded-qa-orders` (table),
 * `.loaded` (batch, the old behaviour). The claim sits beside the marker: `.claim-production`.
 */
export function scopeNames(scope: Scope, markerName: string, environment: string, table: string): ScopeNames {
  const claimBase = markerName === '.loaded' ? '.claim' : `${markerName}.claim`;
  switch (scope) {
    case 'batch':
      return { scope, label: 'the whole batch', marker: markerName, claim: claimBase };
    case 'environment':
      return {
        scope,
        label: `environment ${environment}`,
        marker: `${markerName}-${environment}`,
        claim: `${claimBase}-${environment}`,
        legacyMarker: markerName,
      };
    case 'table':
      return {
        scope,
        label: `environment ${environment}, table ${table}`,
        marker: `${markerName}-${environment}-${table}`,
        claim: `${claimBase}-${environment}-${table}`,
        legacyMarker: markerName,
      };
  }
}
