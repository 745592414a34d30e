/* ps-cli-private.h: what the postsale-cli subcommands share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ps-context.h"

G_BEGIN_DECLS

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage or input. */
#define PS_CLI_EXIT_FAILED 1
#define PS_CLI_EXIT_USAGE  2

typedef struct
{
  char     *db_path;
  gboolean  json;
} PsCliGlobals;

typedef int (*PsCliCommandFunc) (PsCliGlobals  *globals,
                                 int            argc,
                                 char         **argv);

typedef struct
{
  const char       *name;
  PsCliCommandFunc  func;
  const char       *summary;
} PsCliCommand;

GOptionContext *_ps_cli_option_context_new (PsCliGlobals       *globals,
                                            const char         *command,
                                            const char         *parameters,
                                            const char         *summary,
                                            const GOptionEntry *entries);
gboolean        _ps_cli_parse              (GOptionContext     *context,
                                            int                *argc,
                                            char             ***argv,
                                            int                *exit_code);
PsContext      *_ps_cli_open               (PsCliGlobals       *globals,
                                            int                *exit_code);
int             _ps_cli_fail               (int                 exit_code,
                                            const char         *format,
                                            ...) G_GNUC_PRINTF (2, 3);
void            _ps_cli_print_json         (JsonBuilder        *builder);
gboolean        _ps_cli_parse_time         (const char         *text,
                                            gint64             *t);

int             _ps_cli_demo               (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_import             (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_mappings           (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_orders             (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_filters            (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);

G_END_DECLS
