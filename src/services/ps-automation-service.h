/* ps-automation-service.h: the automation runner, scheduler and dry runs
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-rule-engine.h"
#include "ps-rule-store.h"
#include "ps-rule.h"

G_BEGIN_DECLS

/**
 * PsAutomationNotification:
 * @rule_id: the rule whose notify action ran
 * @rule_name: its name
 * @order_id: the order it ran for
 * @address: who is to be told (the action's "address")
 * @message: what to tell them: the action's "message", or a sentence
 *   naming the rule and the order
 *
 * One notify action that ran; the service emits
 * #PsAutomationService::notification with it, and the activity log keeps
 * it in the run's detail.
 */
typedef struct
{
  gint64  rule_id;
  char   *rule_name;
  gint64  order_id;
  char   *address;
  char   *message;
} PsAutomationNotification;

/**
 * PsAutomationReport:
 * @events: events looked at (run) or candidate orders (sweep)
 * @fired: rule runs recorded whose actions were applied
 * @failed: of those, runs with an action that failed (logged; an email
 *   enqueue that failed waits in rule_retries)
 * @cut: runs recorded as "cut" (a chain deeper than
 *   %PS_RULE_MAX_CHAIN_DEPTH)
 * @skipped: runs not made because the rule had already run for the same
 *   order and event
 * @emails: messages queued in the outbox
 * @retried: retries attempted; @retries_done of them succeeded
 * @retries_done: retries that succeeded
 * @notifications: (element-type PsAutomationNotification): notify actions
 *   that ran, in order
 *
 * What one pass of the runner or the scheduler did.
 */
typedef struct
{
  guint      events;
  guint      fired;
  guint      failed;
  guint      cut;
  guint      skipped;
  guint      emails;
  guint      retried;
  guint      retries_done;
  GPtrArray *notifications;
} PsAutomationReport;

/**
 * PsDryRunFire:
 * @event_id: the event the rule would have fired on (0 for a time rule's
 *   sweep, which has no stored event yet)
 * @order_id: the order
 * @occurred_at: when the event happened (the sweep's "now" for time rules)
 * @cut: %TRUE when the run would have been cut (chain too deep), so
 *   nothing would have been done
 * @proposal: (transfer full): ps_rule_proposal_to_json(): the conditions
 *   that held and the actions it would have run
 */
typedef struct
{
  gint64    event_id;
  gint64    order_id;
  gint64    occurred_at;
  gboolean  cut;
  JsonNode *proposal;
} PsDryRunFire;

/**
 * PsDryRunDay:
 * @day: the start of the day in the merchant's time zone (Unix seconds)
 * @fires: fires on that day
 */
typedef struct
{
  gint64 day;
  guint  fires;
} PsDryRunDay;

/**
 * PsDryRun:
 * @since: the first moment replayed
 * @until: the last moment replayed
 * @events: events of the rule's trigger in that time
 * @fires: (element-type PsDryRunFire): every fire, oldest first
 * @order_ids: (element-type gint64): the orders it would have fired for,
 *   each once, in the order of their first fire
 * @per_day: (element-type PsDryRunDay): fires per day, every day from
 *   @since to @until (days without fires have 0), so noise shows
 *
 * What a rule would have done over stored history. Nothing was written.
 */
typedef struct
{
  gint64     since;
  gint64     until;
  guint      events;
  GPtrArray *fires;
  GArray    *order_ids;
  GArray    *per_day;
} PsDryRun;

void     ps_automation_report_free     (PsAutomationReport *report);
void     ps_dry_run_free               (PsDryRun           *dry_run);
JsonNode *ps_dry_run_to_json           (const PsDryRun     *dry_run);

/* Worker thread only (PsDatabaseJob bodies, the CLI, tests, benchmarks). */
PsRule             *ps_automation_rule_from_row  (const PsRuleRow   *row,
                                                  GError           **error);
gint64              ps_automation_save_rule_sync (PsDatabase        *db,
                                                  PsRule            *rule,
                                                  gint64             now,
                                                  GError           **error);
PsRule             *ps_automation_get_rule_sync  (PsDatabase        *db,
                                                  gint64             rule_id,
                                                  GError           **error);
GArray             *ps_automation_add_templates_sync (PsDatabase    *db,
                                                  gint64             now,
                                                  GError           **error);
PsAutomationReport *ps_automation_run_pending_sync (PsDatabase      *db,
                                                  gint64             now,
                                                  GTimeZone         *tz,
                                                  GCancellable      *cancellable,
                                                  GError           **error);
PsAutomationReport *ps_automation_sweep_sync     (PsDatabase        *db,
                                                  gint64             now,
                                                  GTimeZone         *tz,
                                                  GCancellable      *cancellable,
                                                  GError           **error);
PsDryRun           *ps_automation_dry_run_sync   (PsDatabase        *db,
                                                  PsRule            *rule,
                                                  gint64             since,
                                                  gint64             now,
                                                  GTimeZone         *tz,
                                                  GCancellable      *cancellable,
                                                  GError           **error);

#define PS_TYPE_AUTOMATION_SERVICE (ps_automation_service_get_type ())

G_DECLARE_FINAL_TYPE (PsAutomationService, ps_automation_service, PS, AUTOMATION_SERVICE, GObject)

PsAutomationService *ps_automation_service_new        (PsDatabase          *database,
                                                       GTimeZone           *tz);
PsDatabase          *ps_automation_service_get_database (PsAutomationService *self);
void                 ps_automation_service_start      (PsAutomationService *self,
                                                       guint                interval_seconds);
void                 ps_automation_service_stop       (PsAutomationService *self);

void                 ps_automation_service_list_rules_async  (PsAutomationService *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray           *ps_automation_service_list_rules_finish (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_get_rule_async    (PsAutomationService *self,
                                                       gint64               rule_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PsRule              *ps_automation_service_get_rule_finish   (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_save_rule_async   (PsAutomationService *self,
                                                       PsRule              *rule,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gint64               ps_automation_service_save_rule_finish  (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_delete_rule_async (PsAutomationService *self,
                                                       gint64               rule_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean             ps_automation_service_delete_rule_finish (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_set_enabled_async (PsAutomationService *self,
                                                       gint64               rule_id,
                                                       gboolean             enabled,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean             ps_automation_service_set_enabled_finish (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_move_rule_async   (PsAutomationService *self,
                                                       gint64               rule_id,
                                                       int                  position,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean             ps_automation_service_move_rule_finish  (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_list_runs_async   (PsAutomationService *self,
                                                       gint64               rule_id,
                                                       guint                limit,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray           *ps_automation_service_list_runs_finish  (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_add_templates_async (PsAutomationService *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GArray              *ps_automation_service_add_templates_finish (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_run_pending_async (PsAutomationService *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PsAutomationReport  *ps_automation_service_run_pending_finish (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_sweep_async       (PsAutomationService *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PsAutomationReport  *ps_automation_service_sweep_finish      (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                 ps_automation_service_dry_run_async     (PsAutomationService *self,
                                                       PsRule              *rule,
                                                       gint64               since,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PsDryRun            *ps_automation_service_dry_run_finish    (PsAutomationService *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsAutomationReport, ps_automation_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsDryRun, ps_dry_run_free)

G_END_DECLS
