// Every GraphQL operation the web app sends, in one place. tests/node/check-web.mjs validates
// each against the server's SDL (schema/schema.graphql) in CI, so a renamed field or a wrong
// variable type fails the build, not a user's page. This module imports nothing.

const RELEASE_CARD = `id kind status title summary topics publishAt publishedAt version visibility
  unit { id name code } pressConference { startsAt endsAt location myRsvp attendeeCount capacity rsvpDeadline }`;

export const ME = `query Me { me { id email role unit { id name code } outlet { id name }
  spokesperson { id fullName } journalist { id fullName } } }`;
export const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token account { id role } } }`;
export const LOGOUT = `mutation Logout { logout }`;
export const MY_SESSIONS = `query MySessions { mySessions { id createdAt lastSeenAt userAgent current } }`;
export const REVOKE_SESSION = `mutation RevokeSession($id: UUID!) { revokeSession(id: $id) }`;
export const ACCEPT_INVITATION = `mutation Accept($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) { token } }`;

// Public
export const ROSTER = `query Roster { spokespersonRoster { id fullName position phone email isPrimary unit { id name code } } }`;
export const UNITS = `query Units { units { id code name level parent { id name } spokespersons { id fullName position phone email isPrimary activeFrom } } }`;
export const UNIT = `query Unit($id: UUID!) { unit(id: $id) { id code name level parent { id name }
  spokespersons { id fullName position phone email isPrimary } } }`;
export const RELEASES = `query Releases($unitId: UUID, $kind: ReleaseKind, $status: ReleaseStatus, $search: String, $first: Int, $after: String) {
  releases(unitId: $unitId, kind: $kind, status: $status, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${RELEASE_CARD} correctedBy { id title } deliveryStats { targeted delivered acknowledged failed pending } } } } }`;
/** The newsroom's cards: with their files, for the photo (small pages only: each file costs). */
export const NEWS_RELEASES = `query NewsReleases($kind: ReleaseKind, $search: String, $first: Int, $after: String) {
  releases(kind: $kind, status: PUBLISHED, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { ${RELEASE_CARD} correctedBy { id title } attachments { id filename contentType caption thumbnailUrl } } } } }`;
export const RELEASE = `query Release($id: UUID!) { release(id: $id) { ${RELEASE_CARD} body bodyHtml retractedAt retractReason
  supersedes { id title } correctedBy { id title } audience { allAccredited outletIds kinds scopes }
  attachments { id filename contentType size sizeBytes sha256 caption credit width height url thumbnailUrl webUrl keepsMetadata }
  deliveryStats { targeted pending delivered acknowledged failed downloads outletsDownloaded } } }`;
export const DELIVERY_STATS = `query Stats($id: UUID!) { release(id: $id) { id deliveryStats { targeted pending delivered acknowledged failed downloads outletsDownloaded } } }`;
export const ADD_ATTACHMENT = `mutation AddAttachment($releaseId: UUID!, $file: Upload!, $caption: String, $credit: String) {
  addAttachment(releaseId: $releaseId, file: $file, caption: $caption, credit: $credit) { id filename sizeBytes } }`;
export const REMOVE_ATTACHMENT = `mutation RemoveAttachment($id: UUID!) { removeAttachment(id: $id) }`;
const ATTACHMENT = "id filename contentType size sizeBytes sha256 caption credit width height url thumbnailUrl webUrl keepsMetadata";
export const UPDATE_ATTACHMENT = `mutation UpdateAttachment($id: UUID!, $caption: String, $credit: String) {
  updateAttachment(id: $id, caption: $caption, credit: $credit) { ${ATTACHMENT} } }`;
export const REORDER_ATTACHMENTS = `mutation ReorderAttachments($releaseId: UUID!, $ids: [UUID!]!) {
  reorderAttachments(releaseId: $releaseId, ids: $ids) { ${ATTACHMENT} } }`;
export const DOWNLOADS = `query Downloads($releaseId: UUID!) { downloads(releaseId: $releaseId) {
  at attachment { id filename } outlet { id name } journalist { fullName } } }`;
export const ATTENDEES = `query Attendees($id: UUID!) { release(id: $id) { id pressConference { attendees { id fullName outlet { name } } } } }`;

// Spokesperson
export const CREATE_RELEASE = `mutation Create($input: CreateReleaseInput!) { createRelease(input: $input) { id status version } }`;
export const UPDATE_RELEASE = `mutation Update($id: UUID!, $input: UpdateReleaseInput!) { updateRelease(id: $id, input: $input) { id status version } }`;
export const PUBLISH = `mutation Publish($id: UUID!, $at: DateTime) { publishRelease(id: $id, publishAt: $at) { id status publishAt publishedAt } }`;
export const CANCEL_SCHEDULE = `mutation CancelSchedule($id: UUID!) { cancelSchedule(id: $id) { id status } }`;
export const DISCARD = `mutation Discard($id: UUID!) { discardDraft(id: $id) }`;
export const RETRACT = `mutation Retract($id: UUID!, $reason: String!) { retractRelease(id: $id, reason: $reason) { id status } }`;
export const AUDIENCE_PREVIEW = `query Reach($unitId: UUID!, $audience: AudienceInput!) {
  audiencePreview(unitId: $unitId, audience: $audience) { outlets journalists emailRecipients } }`;
export const RENDER_MARKDOWN = `query Preview($markdown: String!) { renderMarkdown(markdown: $markdown) }`;
export const OUTLETS = `query Outlets($accreditation: AccreditationStatus) { outlets(accreditation: $accreditation) {
  id name kind scope licenceNumber email accreditation accreditedUntil isAccredited journalists { id fullName email pressCardNumber } } }`;
export const DELIVERIES = `query Deliveries($releaseId: UUID, $channel: Channel, $status: DeliveryStatus, $first: Int, $after: String) {
  deliveries(releaseId: $releaseId, channel: $channel, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id channel status attempts lastError createdAt deliveredAt acknowledgedAt outlet { id name } acknowledgedBy { fullName } } } } }`;
export const DELIVERY_UPDATED = `subscription DeliveryUpdated($releaseId: UUID!) { deliveryUpdated(releaseId: $releaseId) {
  id channel status attempts lastError createdAt deliveredAt acknowledgedAt outlet { id name } acknowledgedBy { fullName } } }`;
export const OPEN_COUNTS = `query OpenCounts($unitId: UUID) { inquiries(unitId: $unitId, status: OPEN) { id }
  pressReports(unitId: $unitId, status: OPEN) { id } }`;
export const INQUIRIES = `query Inquiries($unitId: UUID, $status: InquiryStatus, $overdueOnly: Boolean) {
  inquiries(unitId: $unitId, status: $status, overdueOnly: $overdueOnly) {
    id question status askedAt dueAt overdue answer answeredAt declineReason rating
    unit { id name } outlet { id name } journalist { fullName } answeredBy { fullName } } }`;
export const ANSWER = `mutation Answer($id: UUID!, $answer: String!) { answerInquiry(id: $id, answer: $answer) { id status } }`;
export const DECLINE = `mutation Decline($id: UUID!, $reason: String!) { declineInquiry(id: $id, reason: $reason) { id status } }`;

// Journalist
export const FEED = `subscription Feed($since: String) { releasePublished(since: $since) { cursor release { ${RELEASE_CARD}
  attachments { id filename contentType size sizeBytes sha256 caption credit width height url thumbnailUrl webUrl keepsMetadata } } } }`;
export const RECEIVED = `query Received($first: Int, $after: String, $unreadOnly: Boolean) {
  received(first: $first, after: $after, unreadOnly: $unreadOnly) { totalCount unread pageInfo { hasNextPage endCursor }
    edges { cursor node { deliveredAt acknowledged acknowledgedAt release { ${RELEASE_CARD} correctedBy { id title }
      attachments { id filename contentType sizeBytes sha256 caption credit width height url thumbnailUrl keepsMetadata } } } } } }`;
export const UNREAD = `query Unread { received(first: 0, unreadOnly: true) { unread } }`;
export const ACKNOWLEDGE = `mutation Ack($releaseId: UUID!) { acknowledgeRelease(releaseId: $releaseId) { id status } }`;
export const RSVP = `mutation Rsvp($releaseId: UUID!, $attending: Boolean!) { rsvp(releaseId: $releaseId, attending: $attending) { myRsvp attendeeCount } }`;
export const ASK = `mutation Ask($unitId: UUID!, $question: String!) { askQuestion(unitId: $unitId, question: $question) { id } }`;
export const RATE = `mutation Rate($id: UUID!, $rating: AnswerRating!) { rateAnswer(id: $id, rating: $rating) { id rating } }`;
export const MY_SUBSCRIPTION = `query MySubscription { mySubscription { emailMode follows { unit { id name } topic } } }`;
export const SET_EMAIL_MODE = `mutation SetMode($mode: EmailMode!) { setEmailMode(mode: $mode) { emailMode } }`;
export const FOLLOW_UNIT = `mutation FollowUnit($unitId: UUID!) { followUnit(unitId: $unitId) { emailMode } }`;
export const UNFOLLOW_UNIT = `mutation UnfollowUnit($unitId: UUID!) { unfollowUnit(unitId: $unitId) { emailMode } }`;
export const FOLLOW_TOPIC = `mutation FollowTopic($topic: String!) { followTopic(topic: $topic) { emailMode } }`;
export const UNFOLLOW_TOPIC = `mutation UnfollowTopic($topic: String!) { unfollowTopic(topic: $topic) { emailMode } }`;

// Authority
export const COMPLIANCE = `query Compliance($from: DateTime!, $to: DateTime!) { complianceReport(from: $from, to: $to) {
  unit { id name code } hasActiveSpokesperson releasesPublished pressConferencesHeld pressConferencesRequired
  inquiriesReceived inquiriesAnsweredOnTime inquiriesOverdue answersUnsatisfied medianResponseHours deliveryCoverage } }`;
export const MONTHLY = `query Monthly($m0f: DateTime!, $m0t: DateTime!, $m1f: DateTime!, $m1t: DateTime!, $m2f: DateTime!, $m2t: DateTime!,
  $m3f: DateTime!, $m3t: DateTime!, $m4f: DateTime!, $m4t: DateTime!, $m5f: DateTime!, $m5t: DateTime!) {
  m0: complianceReport(from: $m0f, to: $m0t) { releasesPublished }
  m1: complianceReport(from: $m1f, to: $m1t) { releasesPublished }
  m2: complianceReport(from: $m2f, to: $m2t) { releasesPublished }
  m3: complianceReport(from: $m3f, to: $m3t) { releasesPublished }
  m4: complianceReport(from: $m4f, to: $m4t) { releasesPublished }
  m5: complianceReport(from: $m5f, to: $m5t) { releasesPublished } }`;
export const CREATE_UNIT = `mutation CreateUnit($input: CreateUnitInput!) { createUnit(input: $input) { id } }`;
export const REGISTER_SPOKESPERSON = `mutation RegisterSpokesperson($input: RegisterSpokespersonInput!) { registerSpokesperson(input: $input) { id } }`;
export const END_TERM = `mutation EndTerm($id: UUID!) { endSpokespersonTerm(id: $id) { id activeUntil } }`;
export const WEBHOOK_ENDPOINTS = `query WebhookEndpoints($outletId: UUID!) { webhookEndpoints(outletId: $outletId) { id url enabled createdAt disabledReason consecutiveFailures recentAttempts(first: 5) { id event status attempts httpStatus error createdAt sentAt } } }`;
export const SET_WEBHOOK_ENABLED = `mutation SetWebhookEnabled($id: UUID!, $enabled: Boolean!) { setWebhookEndpointEnabled(id: $id, enabled: $enabled) { id enabled } }`;
export const SEND_WEBHOOK_TEST = `mutation SendWebhookTest($id: UUID!) { sendWebhookTest(id: $id) { id status } }`;
export const REPLAY_WEBHOOK = `mutation ReplayWebhook($id: UUID!) { replayWebhookDeliveries(id: $id) }`;
export const VAPID_KEY = `query VapidKey { vapidPublicKey pushDeviceCount }`;
export const SUBSCRIBE_PUSH = `mutation SubscribePush($input: PushSubscriptionInput!) { subscribePush(input: $input) }`;
export const UNSUBSCRIBE_PUSH = `mutation UnsubscribePush($endpoint: String!) { unsubscribePush(endpoint: $endpoint) }`;
export const ADD_WEBHOOK = `mutation AddWebhook($outletId: UUID!, $url: String!) { addWebhookEndpoint(outletId: $outletId, url: $url) { secret endpoint { id url enabled createdAt } } }`;
export const REMOVE_WEBHOOK = `mutation RemoveWebhook($id: UUID!) { removeWebhookEndpoint(id: $id) }`;
export const REGISTER_OUTLET = `mutation RegisterOutlet($input: RegisterOutletInput!) { registerOutlet(input: $input) { id } }`;
export const SET_ACCREDITATION = `mutation SetAccreditation($outletId: UUID!, $status: AccreditationStatus!, $until: DateTime) {
  setAccreditation(outletId: $outletId, status: $status, until: $until) { id accreditation accreditedUntil } }`;
export const INVITATION_LINK = `query InvitationLink($email: String!) { invitationLink(email: $email) }`;
export const REGISTER_JOURNALIST = `mutation RegisterJournalist($input: RegisterJournalistInput!) { registerJournalist(input: $input) { id } }`;
export const AUDIT_EVENTS = `query Audit($first: Int, $after: String, $actorId: UUID, $action: String, $unitId: UUID,
  $from: DateTime, $to: DateTime) {
  auditEvents(first: $first, after: $after, actorId: $actorId, action: $action, unitId: $unitId, from: $from, to: $to, newestFirst: true) {
    id seq at action entity entityId hash details actor { id email role name } } }`;
export const AUDIT_ACTORS = `query AuditActors { units { id name } }`;
export const VERIFY = `query Verify { verifyAuditLog { ok eventsChecked firstBadSeq } }`;
export const CHECKPOINT = `query Checkpoint { auditCheckpoint { seq hash at signature publicKey } }`;
export const VERIFY_AGAINST = `query VerifyAgainst($checkpoint: AuditCheckpointInput!) {
  verifyAuditLogAgainst(checkpoint: $checkpoint) { ok eventsChecked firstBadSeq } }`;
export const SUPPRESSIONS = `query Suppressions { emailSuppressions { address reason createdAt } }`;
export const UNSUPPRESS = `mutation Unsuppress($address: String!) { unsuppressEmail(address: $address) }`;

// Monitoring (issue 20): outlets' feeds, their articles, pickups and press reports.
const ARTICLE = `id url title summary publishedAt fetchedAt outlet { id name }`;
export const ARTICLES = `query Articles($search: String, $outletId: UUID, $unitId: UUID, $first: Int) {
  articles(search: $search, outletId: $outletId, unitId: $unitId, first: $first) { ${ARTICLE} } }`;
export const MENTION_ALERTS = `query MentionAlerts { mentionAlerts(first: 20) { id day mentions dailyMean raisedAt unit { id name } } }`;
export const PRESS_REPORT_SUGGESTIONS = `query PressReportSuggestions { pressReportSuggestions(first: 10) { unit { id name } article { ${ARTICLE} } } }`;
export const OUTLET_FEEDS = `query OutletFeeds { outlets { id name feedUrls } }`;
export const SET_OUTLET_FEEDS = `mutation SetOutletFeeds($outletId: UUID!, $urls: [String!]!) { setOutletFeeds(outletId: $outletId, urls: $urls) { id feedUrls } }`;
export const POLL_FEEDS = `mutation PollFeeds { pollOutletFeeds }`;
export const SPREAD = `query Spread($id: UUID!) { release(id: $id) { id publishedAt spread { addressed carriedBy firstPickupMinutes
  pickups { matchedBy lagMinutes article { ${ARTICLE} } } } } }`;
export const DECLARE_PICKUP = `mutation DeclarePickup($releaseId: UUID!, $url: String!) { declarePickup(releaseId: $releaseId, url: $url) { matchedBy article { url } } }`;
const PRESS_REPORT = `id note status raisedAt dueAt overdue response respondedAt unit { id name } article { ${ARTICLE} } responseRelease { id title }`;
export const PRESS_REPORTS = `query PressReports($unitId: UUID, $status: PressReportStatus, $overdueOnly: Boolean) {
  pressReports(unitId: $unitId, status: $status, overdueOnly: $overdueOnly) { ${PRESS_REPORT} } }`;
export const RAISE_PRESS_REPORT = `mutation RaisePressReport($articleId: UUID!, $unitId: UUID!, $note: String) {
  raisePressReport(articleId: $articleId, unitId: $unitId, note: $note) { ${PRESS_REPORT} } }`;
export const RESPOND_PRESS_REPORT = `mutation RespondPressReport($id: UUID!, $response: String!, $releaseId: UUID) {
  respondToPressReport(id: $id, response: $response, releaseId: $releaseId) { ${PRESS_REPORT} } }`;
export const UNIT_STATEMENTS = `query UnitStatements($unitId: UUID) { releases(unitId: $unitId, first: 50) { edges { node { id title kind status } } } }`;

// The province of 2026 (issue 33): reorganizations, merged outlets, rule sets, press cards, the
// annual communication plan.
const LINEAGE_UNIT = `id code name level active endedAt`;
export const ALL_UNITS = `query AllUnits { units(includeEnded: true) { ${LINEAGE_UNIT} spokespersons { id fullName } successors { id name } predecessors { id name } } }`;
export const REORGANIZATIONS = `query Reorganizations { reorganizations { id kind effectiveAt decisionRef previousName previousCode
  from { ${LINEAGE_UNIT} } into { ${LINEAGE_UNIT} } } }`;
export const REORGANIZE_UNITS = `mutation ReorganizeUnits($input: ReorganizeUnitsInput!) { reorganizeUnits(input: $input) { id kind } }`;
export const OPEN_ITEMS = `query OpenItems($unitId: UUID) { inquiries(unitId: $unitId, status: OPEN) { id } pressReports(unitId: $unitId, status: OPEN) { id } }`;
const LEVELS = `{ level value }`;
export const RULE_SETS = `query RuleSets { ruleSets { id effectiveFrom decisionRef inquiryDueHours ${LEVELS} pressReportDueDays firstStatementHours
  conferencesPerQuarter ${LEVELS} informationPerMonth ${LEVELS} spokespersonVacancyDays } }`;
export const ADD_RULE_SET = `mutation AddRuleSet($input: RuleSetInput!) { addRuleSet(input: $input) { id } }`;
export const PRESS_CARDS_EXPIRING = `query PressCardsExpiring($withinDays: Int) { pressCardsExpiring(withinDays: $withinDays) {
  id fullName email pressCardNumber pressCardExpiresAt pressCardValid outlet { id name } } }`;
export const SET_PRESS_CARD = `mutation SetPressCard($journalistId: UUID!, $pressCardNumber: String!, $expiresAt: DateTime!) {
  setPressCard(journalistId: $journalistId, pressCardNumber: $pressCardNumber, expiresAt: $expiresAt) { id pressCardValid } }`;
export const PROVINCE_OUTLETS = `query ProvinceOutlets { outlets { id name kind mediaTypes active successor { id name } journalists { id } } }`;
export const MERGE_OUTLETS = `mutation MergeOutlets($fromOutletIds: [UUID!]!, $into: RegisterOutletInput!, $effectiveAt: DateTime!, $decisionRef: String!) {
  mergeOutlets(fromOutletIds: $fromOutletIds, into: $into, effectiveAt: $effectiveAt, decisionRef: $decisionRef) { id name } }`;
const PLAN = `year unit { id name } items { id title kind dueAt done releases { id title } }`;
export const COMMUNICATION_PLAN = `query CommunicationPlan($unitId: UUID!, $year: Int!) { communicationPlan(unitId: $unitId, year: $year) { ${PLAN} } }`;
export const SET_COMMUNICATION_PLAN = `mutation SetCommunicationPlan($unitId: UUID!, $year: Int!, $items: [PlanItemInput!]!) {
  setCommunicationPlan(unitId: $unitId, year: $year, items: $items) { ${PLAN} } }`;
export const UNIT_LINEAGE = `query UnitLineage($id: UUID!) { unit(id: $id) { id active endedAt successors { id name } predecessors { id name } } }`;
export const AUTHORITY_NAME = `query AuthorityName { authorityName }`;
