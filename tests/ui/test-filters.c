/* test-filters.c: the filter builder and shipment groups
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - a condition with shipment groups ({"shipment": …}), at the top and
 *   inside a group, is shown by PsConditionGroup and built back equal;
 * - a saved filter with one opens in the filter editor without a critical
 *   (criticals are fatal here) and counts its orders;
 * - the same for return groups ({"return": …}); a return field moved out
 *   of its group fails the build naming the field.
 */

#define G_LOG_DOMAIN "test-filters"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ps-condition-group.h"
#include "ps-filter-editor.h"
#include "ps-filter-store.h"
#include "ps-test-ui.h"
#include "ps-ui-resources.h"

static PsContext *context;

#define C(field, op, value) "{\"field\":\"" field "\",\"op\":\"" op "\",\"value\":" value "}"

static const char * const shipment_filters[] = {
  "{\"all\":[" C ("channel", "is", "\"etsy\"") ",{\"shipment\":{\"any\":["
    C ("carrier", "is", "\"ups\"") ",{\"all\":[" C ("had_exception", "is", "true") ","
    "{\"field\":\"estimated_delivery_at\",\"op\":\"is_empty\"}]}]}}]}",
  "{\"shipment\":{\"all\":[" C ("tracking_status", "is", "\"exception\"") ","
    C ("service", "is", "\"ground\"") "]}}",
  "{\"any\":[{\"shipment\":{\"all\":[]}}," C ("tags", "is", "\"gift\"") "]}",
  /* Return groups, as the dashboard's returns drill-downs write them
   * (whole days: the builder's date rows edit days). */
  "{\"all\":[" C ("channel", "is", "\"etsy\"") ",{\"return\":{\"all\":["
    C ("return_requested_at", "between", "[1793491200,1795996800]") ","
    C ("return_reason", "is", "\"damaged\"") "," C ("return_sku", "is", "\"MUG-01\"") "]}}]}",
  "{\"return\":{\"any\":[" C ("return_reason", "in", "[\"wrong_size\",\"other\"]") ","
    "{\"field\":\"return_sku\",\"op\":\"is_empty\"}]}}",
};

/* A return field outside its group cannot be built. */
static void
test_return_field_outside (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "damaged");
  g_autoptr(PsCondition) leaf = ps_condition_new_leaf (PS_CONDITION_FIELD_RETURN_REASON,
                                                       PS_CONDITION_OP_IS, value, &error);
  g_autoptr(PsCondition) condition = NULL;
  g_autoptr(PsCondition) built = NULL;
  GtkWidget *group;

  g_assert_no_error (error);
  condition = ps_condition_new_group (PS_CONDITION_KIND_ALL, &leaf, 1);
  group = g_object_ref_sink (ps_condition_group_new (condition, 0));
  built = ps_condition_group_build (PS_CONDITION_GROUP (group), &error);
  g_assert_null (built);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_NOT_A_RETURN_FIELD);
  g_assert_nonnull (strstr (error->message, "“return_reason”"));
  g_object_unref (group);
}

static void
test_group_roundtrip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (shipment_filters); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PsCondition) condition = ps_condition_from_string (shipment_filters[i], &error);
      g_autoptr(PsCondition) built = NULL;
      GtkWidget *group;

      g_assert_no_error (error);
      group = g_object_ref_sink (ps_condition_group_new (condition, 0));
      built = ps_condition_group_build (PS_CONDITION_GROUP (group), &error);
      g_assert_no_error (error);
      g_assert_nonnull (built);
      if (!ps_condition_equal (condition, built))
        {
          g_autofree char *text = ps_condition_to_string (built);

          g_error ("%s came back as %s", shipment_filters[i], text);
        }
      g_object_unref (group);
    }
}

static void
test_editor_opens (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  g_autoptr(PsCondition) condition = ps_condition_from_string (shipment_filters[index], NULL);
  PsSavedFilter filter = { 1, (char *) "UPS trouble", (char *) shipment_filters[index], condition,
                           FALSE, 0, 0, 0 };
  PsFilterEditor *editor;

  editor = ps_filter_editor_new (NULL, context, &filter, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  ps_test_spin (300);
  gtk_window_destroy (GTK_WINDOW (editor));
  ps_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();
  /* Links the templates in (ps-application.c does this for the app). */
  g_assert_nonnull (ps_ui_get_resource ());

  tmpdir = g_dir_make_tmp ("postsale-filters-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "ui.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/filters/shipment-group/roundtrip", test_group_roundtrip);
  g_test_add_data_func ("/ui/filters/shipment-group/editor", GUINT_TO_POINTER (0),
                        test_editor_opens);
  g_test_add_data_func ("/ui/filters/return-group/editor", GUINT_TO_POINTER (3),
                        test_editor_opens);
  g_test_add_func ("/ui/filters/return-group/field-outside", test_return_field_outside);
  ret = g_test_run ();

  g_clear_object (&context);
  return ret;
}
