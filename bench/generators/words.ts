/**
 * Vocabulary for generated names: app labels, tables/models and columns that read like a real product's
 * schema. Lists only grow at the end, so a seed keeps naming the same things.
 */
export const DOMAINS = [
  'accounts', 'billing', 'catalog', 'orders', 'shipping', 'inventory', 'payments', 'invoices', 'customers', 'support',
  'reviews', 'analytics', 'marketing', 'coupons', 'loyalty', 'search', 'notifications', 'messaging', 'reporting', 'audit',
  'pricing', 'returns', 'warehouse', 'suppliers', 'procurement', 'contracts', 'subscriptions', 'tenants', 'teams', 'projects',
  'tasks', 'calendar', 'documents', 'media', 'comments', 'forums', 'blog', 'pages', 'menus', 'locations',
  'devices', 'sessions', 'webhooks', 'integrations', 'exports', 'imports', 'schedules', 'payroll', 'benefits', 'recruiting',
  'training', 'surveys', 'tickets', 'assets', 'ledger', 'taxes', 'compliance', 'risk', 'fraud', 'geo',
] as const;

export const ENTITIES = [
  'account', 'address', 'agent', 'batch', 'booking', 'campaign', 'card', 'category', 'channel', 'charge',
  'contact', 'credit', 'entry', 'event', 'feature', 'file', 'group', 'item', 'job', 'label',
  'line', 'list', 'member', 'note', 'offer', 'order', 'owner', 'package', 'period', 'plan',
  'policy', 'product', 'profile', 'quote', 'rate', 'record', 'region', 'report', 'request', 'rule',
  'score', 'segment', 'setting', 'shift', 'slot', 'source', 'stage', 'status', 'step', 'store',
  'tag', 'target', 'template', 'token', 'topic', 'track', 'unit', 'vendor', 'visit', 'zone',
] as const;

export const ATTRIBUTES = [
  'name', 'title', 'code', 'status', 'kind', 'amount', 'total', 'price', 'quantity', 'weight',
  'email', 'phone', 'note', 'description', 'reference', 'priority', 'position', 'score', 'currency', 'locale',
  'source', 'external', 'comment', 'summary', 'rating', 'quota', 'balance', 'discount', 'margin', 'version',
  'label', 'color', 'slug', 'timezone', 'country', 'city', 'region', 'channel', 'level', 'rank',
  'flags', 'metadata', 'settings', 'payload', 'checksum', 'token', 'hash', 'count', 'duration', 'sequence',
] as const;

export const TIME_ATTRIBUTES = ['created', 'updated', 'archived', 'published', 'expires', 'started', 'finished', 'verified', 'cancelled', 'synced'] as const;

/** Names that read as text columns. */
export const TEXT_ATTRIBUTES = [
  'name', 'title', 'code', 'status', 'kind', 'note', 'reference', 'currency', 'locale', 'source',
  'comment', 'summary', 'label', 'color', 'timezone', 'country', 'city', 'region', 'channel', 'checksum',
  'token', 'hash', 'phone', 'description', 'external_ref', 'display_name', 'short_name', 'category', 'tier', 'state',
] as const;
