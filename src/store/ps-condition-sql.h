/* ps-condition-sql.h: conditions compiled to parameterized SQL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For store/ and its tests only: it hands out SQL text and binds
 * statements. Everything else filters orders through PsOrderStore.
 */

#pragma once

#include <sqlite3.h>

#include "ps-condition.h"

G_BEGIN_DECLS

/**
 * PsSqlParamType:
 * @PS_SQL_PARAM_INT: bound with sqlite3_bind_int64()
 * @PS_SQL_PARAM_DOUBLE: bound with sqlite3_bind_double()
 * @PS_SQL_PARAM_TEXT: bound with sqlite3_bind_text()
 */
typedef enum
{
  PS_SQL_PARAM_INT,
  PS_SQL_PARAM_DOUBLE,
  PS_SQL_PARAM_TEXT,
} PsSqlParamType;

/**
 * PsSqlParam:
 * @type: how the value is bound
 * @integer: the value of a %PS_SQL_PARAM_INT
 * @number: the value of a %PS_SQL_PARAM_DOUBLE
 * @text: the value of a %PS_SQL_PARAM_TEXT, owned by the #PsConditionSql
 *
 * One value for one `?` of the compiled fragment, in order.
 */
typedef struct
{
  PsSqlParamType  type;
  gint64          integer;
  double          number;
  char           *text;
} PsSqlParam;

typedef struct _PsConditionSql PsConditionSql;

PsConditionSql   *ps_condition_sql_compile      (const PsCondition *condition,
                                                 gint64             now,
                                                 GTimeZone         *tz);
void              ps_condition_sql_free         (PsConditionSql    *self);
const char       *ps_condition_sql_get_where    (PsConditionSql    *self);
const char       *ps_condition_sql_get_count_sql (PsConditionSql   *self);
guint             ps_condition_sql_get_n_params (PsConditionSql    *self);
const PsSqlParam *ps_condition_sql_get_param    (PsConditionSql    *self,
                                                 guint              index);
int               ps_condition_sql_bind         (PsConditionSql    *self,
                                                 sqlite3_stmt      *stmt,
                                                 int                first);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsConditionSql, ps_condition_sql_free)

G_END_DECLS
