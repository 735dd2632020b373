// Labels in English and Chinese; the language follows the browser (navigator.language).
const LABELS = {
  en: {
    subtitle: 'live leads, pools and funnel',
    signInTitle: 'Sign in',
    signInHint: 'Standalone only: pick a user and a role and the api mints a development token.',
    user: 'User', team: 'Team', role: 'Role', signIn: 'Sign in', signOut: 'Sign out',
    'role.sales': 'Salesperson', 'role.manager': 'Manager', 'role.admin': 'Admin',
    funnel: 'Sales funnel', 'scope.tenant': 'Company', 'scope.mine': 'Mine', 'scope.team': 'My team',
    connecting: 'connecting…', live: 'live', offline: 'reconnecting…',
    stage: 'Stage', count: 'Customers', amount: 'Amount', weighted: 'Weighted', conversion: 'Conversion',
    total: 'Customers', won: 'Won', lost: 'Lost', updated: 'Updated',
    publicPool: 'Public pool', poolEmpty: 'Nobody is waiting in this pool.', claim: 'Claim',
    myCustomers: 'My customers', mineEmpty: 'You hold no customers yet: claim one from the public pool.',
    capacity: '{used} of {capacity}', capacityUnlimited: '{used} held',
    followUp: 'Follow up', release: 'Release', returnsIn: 'returns in {left}', exempt: 'no return',
    overdue: 'returning now', days: '{n} d', hours: '{n} h', minutes: '{n} min',
    identityFeed: 'Collisions and possible duplicates', identityEmpty: 'No collisions or possible duplicates yet.',
    'type.COLLISION': 'Collision', 'type.POSSIBLE_DUPLICATE': 'Possible duplicate',
    'type.MERGE_SUGGESTION': 'Merge suggestion', 'type.MERGED': 'Merged',
    collisionText: 'lead for {intended} hit a customer held by {holder}',
    duplicateText: 'lead resembles an existing customer',
    duplicateCheck: 'Duplicate check', companyName: 'Company name', phone: 'Phone', email: 'E-mail',
    check: 'Check', noMatch: 'No existing customer matches: go ahead.', heldBy: 'held by {owner}',
    inPool: 'in public pool {pool}', masked: 'masked',
    claimed: 'Claimed {name}.', released: 'Released {name}.', followedUp: 'Follow-up recorded for {name}.',
    refused: 'Refused: {reason}', pending: 'Accepted, still processing…', failed: 'Failed: {detail}',
    signInFailed: 'Sign-in failed: {detail}', sessionExpired: 'Your session expired: sign in again.',
    unnamed: '(no name)',
    'reason.ALREADY_OWNED': 'someone already holds it', 'reason.CAPACITY_REACHED': 'your private pool is full',
    'reason.DAILY_LIMIT_REACHED': 'daily claim limit reached', 'reason.COOLDOWN': 'you released it recently',
    'reason.LOCKED': 'it is locked', 'reason.NOT_IN_POOL': 'it is no longer in the pool',
    'reason.NOT_A_MEMBER': 'you are not a member of this pool',
  },
  zh: {
    subtitle: '实时线索、公海与销售漏斗',
    signInTitle: '登录',
    signInHint: '仅限单机版：选择用户和角色，api 会签发开发令牌。',
    user: '用户', team: '团队', role: '角色', signIn: '登录', signOut: '退出',
    'role.sales': '销售', 'role.manager': '经理', 'role.admin': '管理员',
    funnel: '销售漏斗', 'scope.tenant': '全公司', 'scope.mine': '我的', 'scope.team': '我的团队',
    connecting: '连接中…', live: '实时', offline: '重新连接中…',
    stage: '阶段', count: '客户数', amount: '金额', weighted: '加权金额', conversion: '转化率',
    total: '客户', won: '赢单', lost: '输单', updated: '更新于',
    publicPool: '公海', poolEmpty: '公海里暂时没有客户。', claim: '领取',
    myCustomers: '我的客户（私海）', mineEmpty: '你还没有客户：从公海领取一个吧。',
    capacity: '{used} / {capacity}', capacityUnlimited: '已持有 {used}',
    followUp: '跟进', release: '放弃', returnsIn: '{left}后回收', exempt: '不回收',
    overdue: '即将回收', days: '{n} 天', hours: '{n} 小时', minutes: '{n} 分钟',
    identityFeed: '撞单与疑似重复', identityEmpty: '暂无撞单或疑似重复。',
    'type.COLLISION': '撞单', 'type.POSSIBLE_DUPLICATE': '疑似重复',
    'type.MERGE_SUGGESTION': '合并建议', 'type.MERGED': '已合并',
    collisionText: '{intended} 的线索撞上了 {holder} 的客户',
    duplicateText: '线索与已有客户相似',
    duplicateCheck: '查重', companyName: '公司名称', phone: '电话', email: '邮箱',
    check: '查重', noMatch: '没有重复客户，可以录入。', heldBy: '负责人 {owner}',
    inPool: '在公海 {pool}', masked: '已脱敏',
    claimed: '已领取 {name}。', released: '已放弃 {name}。', followedUp: '已记录对 {name} 的跟进。',
    refused: '被拒绝：{reason}', pending: '已受理，处理中…', failed: '失败：{detail}',
    signInFailed: '登录失败：{detail}', sessionExpired: '登录已过期，请重新登录。',
    unnamed: '（无名称）',
    'reason.ALREADY_OWNED': '已被他人领取', 'reason.CAPACITY_REACHED': '私海已满',
    'reason.DAILY_LIMIT_REACHED': '已达今日领取上限', 'reason.COOLDOWN': '刚放弃的客户暂不能领回',
    'reason.LOCKED': '客户已锁定', 'reason.NOT_IN_POOL': '客户已不在公海',
    'reason.NOT_A_MEMBER': '你不是该公海的成员',
  },
};

const STAGES = {
  en: { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified', PROPOSAL: 'Proposal',
        NEGOTIATION: 'Negotiation', WON: 'Won', LOST: 'Lost' },
  zh: { NEW: '新线索', CONTACTED: '已联系', QUALIFIED: '已确认需求', PROPOSAL: '报价',
        NEGOTIATION: '谈判', WON: '赢单', LOST: '输单' },
};

export const lang = (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
export const locale = lang === 'zh' ? 'zh-CN' : navigator.language || 'en';

/** The label `key`, with `{name}` placeholders filled from `values`; the key itself when unknown. */
export function t(key, values = {}) {
  const text = LABELS[lang][key] ?? LABELS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (values[name] ?? ''));
}

/** A stage's label; a tenant's own stages show as named. */
export function stageLabel(stage) {
  return STAGES[lang][stage] ?? stage;
}

/** Fills every [data-i18n] element's text and [data-i18n-placeholder] element's placeholder. */
export function translate(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
}

const money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

export const formatMoney = (value) => (value == null ? '–' : money.format(Number(value)));
export const formatPercent = (value) => (value == null ? '–' : percent.format(value));
export const formatTime = (instant) => (instant ? new Date(instant).toLocaleTimeString(locale) : '–');

/** Time left until `deadline` in the largest whole unit (days, hours, minutes). */
export function formatLeft(deadline, now = Date.now()) {
  const minutes = Math.ceil((new Date(deadline).getTime() - now) / 60000);
  if (minutes <= 0) return t('overdue');
  const left = minutes >= 2880 ? t('days', { n: Math.ceil(minutes / 1440) })
    : minutes >= 120 ? t('hours', { n: Math.ceil(minutes / 60) })
      : t('minutes', { n: minutes });
  return t('returnsIn', { left });
}
