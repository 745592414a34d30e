/* ps-import-mapping.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mapping says which column of a file of no known dialect (a spreadsheet,
 * a ShipStation-style sheet, an in-house export) holds which order field.
 * It is keyed by the column's header text; lookups fall back to the
 * normalized text (ps_import_header_normalize()) so that "Order #" still
 * finds a mapping saved for "ORDER#". Mappings are saved as JSON next to a
 * source key, a hash of the normalized header, so next week's export of
 * the same layout is imported without asking again.
 */

#define G_LOG_DOMAIN "ps-import-mapping"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-import-format.h"
#include "ps-import-mapping.h"
#include "ps-import-mapping-private.h"
#include "ps-import-parse.h"
#include "ps-import-reader.h"

#define MAPPING_JSON_VERSION 1

typedef struct
{
  char          *column;
  char          *normalized;
  PsImportField  field;
} Entry;

struct _PsImportMapping
{
  GPtrArray *entries;   /* Entry, in the order they were set */
};

G_DEFINE_BOXED_TYPE (PsImportMapping, ps_import_mapping,
                     ps_import_mapping_copy, ps_import_mapping_free)

static const char * const field_nicks[] = {
  [PS_IMPORT_FIELD_IGNORE] = "ignore",
  [PS_IMPORT_FIELD_ORDER_NUMBER] = "order_number",
  [PS_IMPORT_FIELD_CREATED_AT] = "created_at",
  [PS_IMPORT_FIELD_PAID_AT] = "paid_at",
  [PS_IMPORT_FIELD_STATUS] = "status",
  [PS_IMPORT_FIELD_CUSTOMER_NAME] = "customer_name",
  [PS_IMPORT_FIELD_CUSTOMER_EMAIL] = "customer_email",
  [PS_IMPORT_FIELD_CUSTOMER_PHONE] = "customer_phone",
  [PS_IMPORT_FIELD_SHIP_NAME] = "ship_name",
  [PS_IMPORT_FIELD_SHIP_COMPANY] = "ship_company",
  [PS_IMPORT_FIELD_SHIP_LINE1] = "ship_line1",
  [PS_IMPORT_FIELD_SHIP_LINE2] = "ship_line2",
  [PS_IMPORT_FIELD_SHIP_CITY] = "ship_city",
  [PS_IMPORT_FIELD_SHIP_STATE] = "ship_state",
  [PS_IMPORT_FIELD_SHIP_POSTCODE] = "ship_postcode",
  [PS_IMPORT_FIELD_SHIP_COUNTRY] = "ship_country",
  [PS_IMPORT_FIELD_CURRENCY] = "currency",
  [PS_IMPORT_FIELD_SUBTOTAL] = "subtotal",
  [PS_IMPORT_FIELD_SHIPPING] = "shipping",
  [PS_IMPORT_FIELD_TAX] = "tax",
  [PS_IMPORT_FIELD_TOTAL] = "total",
  [PS_IMPORT_FIELD_SKU] = "sku",
  [PS_IMPORT_FIELD_ITEM_NAME] = "item_name",
  [PS_IMPORT_FIELD_VARIANT] = "variant",
  [PS_IMPORT_FIELD_QUANTITY] = "quantity",
  [PS_IMPORT_FIELD_UNIT_PRICE] = "unit_price",
  [PS_IMPORT_FIELD_LINE_TOTAL] = "line_total",
  [PS_IMPORT_FIELD_WEIGHT] = "weight",
  [PS_IMPORT_FIELD_TRACKING_NUMBER] = "tracking_number",
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_nicks) == PS_IMPORT_FIELD_LAST + 1);

/* Guessing from header names. Names are normalized. Exact names first;
 * then words a name contains, in priority order. */
typedef struct
{
  const char    *name;
  PsImportField  field;
} Synonym;

static const Synonym synonyms[] = {
  { "ordernumber", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "orderno", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "ordernr", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "ordernum", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "orderid", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "order", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "ordercode", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "orderref", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "orderreference", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "invoice", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "invoicenumber", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "invoiceno", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "invoiceid", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "salesorder", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "salesordernumber", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "ponumber", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "purchaseorder", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "reference", PS_IMPORT_FIELD_ORDER_NUMBER },
  { "ref", PS_IMPORT_FIELD_ORDER_NUMBER },

  { "orderdate", PS_IMPORT_FIELD_CREATED_AT },
  { "date", PS_IMPORT_FIELD_CREATED_AT },
  { "created", PS_IMPORT_FIELD_CREATED_AT },
  { "createdat", PS_IMPORT_FIELD_CREATED_AT },
  { "createddate", PS_IMPORT_FIELD_CREATED_AT },
  { "datecreated", PS_IMPORT_FIELD_CREATED_AT },
  { "dateordered", PS_IMPORT_FIELD_CREATED_AT },
  { "orderedat", PS_IMPORT_FIELD_CREATED_AT },
  { "orderedon", PS_IMPORT_FIELD_CREATED_AT },
  { "saledate", PS_IMPORT_FIELD_CREATED_AT },
  { "purchasedate", PS_IMPORT_FIELD_CREATED_AT },
  { "timestamp", PS_IMPORT_FIELD_CREATED_AT },

  { "paidat", PS_IMPORT_FIELD_PAID_AT },
  { "paiddate", PS_IMPORT_FIELD_PAID_AT },
  { "datepaid", PS_IMPORT_FIELD_PAID_AT },
  { "paidon", PS_IMPORT_FIELD_PAID_AT },
  { "paymentdate", PS_IMPORT_FIELD_PAID_AT },

  { "status", PS_IMPORT_FIELD_STATUS },
  { "orderstatus", PS_IMPORT_FIELD_STATUS },
  { "orderstatuses", PS_IMPORT_FIELD_STATUS },

  { "customer", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "customername", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "buyer", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "buyername", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "client", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "clientname", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "billingname", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "billtoname", PS_IMPORT_FIELD_CUSTOMER_NAME },
  { "soldto", PS_IMPORT_FIELD_CUSTOMER_NAME },

  { "email", PS_IMPORT_FIELD_CUSTOMER_EMAIL },
  { "emailaddress", PS_IMPORT_FIELD_CUSTOMER_EMAIL },
  { "mail", PS_IMPORT_FIELD_CUSTOMER_EMAIL },

  { "phone", PS_IMPORT_FIELD_CUSTOMER_PHONE },
  { "telephone", PS_IMPORT_FIELD_CUSTOMER_PHONE },
  { "phonenumber", PS_IMPORT_FIELD_CUSTOMER_PHONE },
  { "tel", PS_IMPORT_FIELD_CUSTOMER_PHONE },
  { "mobile", PS_IMPORT_FIELD_CUSTOMER_PHONE },

  { "name", PS_IMPORT_FIELD_SHIP_NAME },
  { "fullname", PS_IMPORT_FIELD_SHIP_NAME },
  { "recipient", PS_IMPORT_FIELD_SHIP_NAME },
  { "recipientname", PS_IMPORT_FIELD_SHIP_NAME },
  { "shipname", PS_IMPORT_FIELD_SHIP_NAME },
  { "shiptoname", PS_IMPORT_FIELD_SHIP_NAME },
  { "shippingname", PS_IMPORT_FIELD_SHIP_NAME },
  { "deliveryname", PS_IMPORT_FIELD_SHIP_NAME },
  { "contactname", PS_IMPORT_FIELD_SHIP_NAME },
  { "addressee", PS_IMPORT_FIELD_SHIP_NAME },

  { "company", PS_IMPORT_FIELD_SHIP_COMPANY },
  { "companyname", PS_IMPORT_FIELD_SHIP_COMPANY },
  { "organization", PS_IMPORT_FIELD_SHIP_COMPANY },
  { "organisation", PS_IMPORT_FIELD_SHIP_COMPANY },
  { "business", PS_IMPORT_FIELD_SHIP_COMPANY },

  { "address", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "address1", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "addressline1", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "street", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "street1", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "streetaddress", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "line1", PS_IMPORT_FIELD_SHIP_LINE1 },
  { "addr1", PS_IMPORT_FIELD_SHIP_LINE1 },

  { "address2", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "addressline2", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "street2", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "line2", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "addr2", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "apt", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "suite", PS_IMPORT_FIELD_SHIP_LINE2 },
  { "apartment", PS_IMPORT_FIELD_SHIP_LINE2 },

  { "city", PS_IMPORT_FIELD_SHIP_CITY },
  { "town", PS_IMPORT_FIELD_SHIP_CITY },
  { "suburb", PS_IMPORT_FIELD_SHIP_CITY },
  { "locality", PS_IMPORT_FIELD_SHIP_CITY },
  { "ort", PS_IMPORT_FIELD_SHIP_CITY },

  { "state", PS_IMPORT_FIELD_SHIP_STATE },
  { "province", PS_IMPORT_FIELD_SHIP_STATE },
  { "region", PS_IMPORT_FIELD_SHIP_STATE },
  { "county", PS_IMPORT_FIELD_SHIP_STATE },
  { "stateprovince", PS_IMPORT_FIELD_SHIP_STATE },
  { "statecode", PS_IMPORT_FIELD_SHIP_STATE },

  { "zip", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "zipcode", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "postcode", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "postalcode", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "zippostalcode", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "plz", PS_IMPORT_FIELD_SHIP_POSTCODE },
  { "pincode", PS_IMPORT_FIELD_SHIP_POSTCODE },

  { "country", PS_IMPORT_FIELD_SHIP_COUNTRY },
  { "countrycode", PS_IMPORT_FIELD_SHIP_COUNTRY },
  { "nation", PS_IMPORT_FIELD_SHIP_COUNTRY },
  { "land", PS_IMPORT_FIELD_SHIP_COUNTRY },

  { "currency", PS_IMPORT_FIELD_CURRENCY },
  { "currencycode", PS_IMPORT_FIELD_CURRENCY },
  { "ccy", PS_IMPORT_FIELD_CURRENCY },

  { "subtotal", PS_IMPORT_FIELD_SUBTOTAL },
  { "itemstotal", PS_IMPORT_FIELD_SUBTOTAL },
  { "merchandisetotal", PS_IMPORT_FIELD_SUBTOTAL },

  { "shipping", PS_IMPORT_FIELD_SHIPPING },
  { "shippingcost", PS_IMPORT_FIELD_SHIPPING },
  { "shippingprice", PS_IMPORT_FIELD_SHIPPING },
  { "shippingfee", PS_IMPORT_FIELD_SHIPPING },
  { "shippingamount", PS_IMPORT_FIELD_SHIPPING },
  { "shippingtotal", PS_IMPORT_FIELD_SHIPPING },
  { "shippingandhandling", PS_IMPORT_FIELD_SHIPPING },
  { "postage", PS_IMPORT_FIELD_SHIPPING },
  { "delivery", PS_IMPORT_FIELD_SHIPPING },
  { "freight", PS_IMPORT_FIELD_SHIPPING },
  { "pp", PS_IMPORT_FIELD_SHIPPING },

  { "tax", PS_IMPORT_FIELD_TAX },
  { "taxes", PS_IMPORT_FIELD_TAX },
  { "vat", PS_IMPORT_FIELD_TAX },
  { "gst", PS_IMPORT_FIELD_TAX },
  { "salestax", PS_IMPORT_FIELD_TAX },
  { "taxamount", PS_IMPORT_FIELD_TAX },

  { "total", PS_IMPORT_FIELD_TOTAL },
  { "ordertotal", PS_IMPORT_FIELD_TOTAL },
  { "grandtotal", PS_IMPORT_FIELD_TOTAL },
  { "totalamount", PS_IMPORT_FIELD_TOTAL },
  { "amount", PS_IMPORT_FIELD_TOTAL },
  { "amountpaid", PS_IMPORT_FIELD_TOTAL },
  { "ordervalue", PS_IMPORT_FIELD_TOTAL },

  { "sku", PS_IMPORT_FIELD_SKU },
  { "productcode", PS_IMPORT_FIELD_SKU },
  { "itemcode", PS_IMPORT_FIELD_SKU },
  { "partnumber", PS_IMPORT_FIELD_SKU },
  { "partno", PS_IMPORT_FIELD_SKU },
  { "articlenumber", PS_IMPORT_FIELD_SKU },
  { "productid", PS_IMPORT_FIELD_SKU },
  { "itemid", PS_IMPORT_FIELD_SKU },
  { "code", PS_IMPORT_FIELD_SKU },

  { "item", PS_IMPORT_FIELD_ITEM_NAME },
  { "itemname", PS_IMPORT_FIELD_ITEM_NAME },
  { "product", PS_IMPORT_FIELD_ITEM_NAME },
  { "productname", PS_IMPORT_FIELD_ITEM_NAME },
  { "description", PS_IMPORT_FIELD_ITEM_NAME },
  { "itemdescription", PS_IMPORT_FIELD_ITEM_NAME },
  { "title", PS_IMPORT_FIELD_ITEM_NAME },
  { "itemtitle", PS_IMPORT_FIELD_ITEM_NAME },
  { "article", PS_IMPORT_FIELD_ITEM_NAME },

  { "variant", PS_IMPORT_FIELD_VARIANT },
  { "variation", PS_IMPORT_FIELD_VARIANT },
  { "variations", PS_IMPORT_FIELD_VARIANT },
  { "option", PS_IMPORT_FIELD_VARIANT },
  { "options", PS_IMPORT_FIELD_VARIANT },
  { "size", PS_IMPORT_FIELD_VARIANT },

  { "quantity", PS_IMPORT_FIELD_QUANTITY },
  { "qty", PS_IMPORT_FIELD_QUANTITY },
  { "units", PS_IMPORT_FIELD_QUANTITY },
  { "pcs", PS_IMPORT_FIELD_QUANTITY },
  { "pieces", PS_IMPORT_FIELD_QUANTITY },
  { "count", PS_IMPORT_FIELD_QUANTITY },

  { "price", PS_IMPORT_FIELD_UNIT_PRICE },
  { "unitprice", PS_IMPORT_FIELD_UNIT_PRICE },
  { "itemprice", PS_IMPORT_FIELD_UNIT_PRICE },
  { "priceeach", PS_IMPORT_FIELD_UNIT_PRICE },
  { "each", PS_IMPORT_FIELD_UNIT_PRICE },
  { "unitcost", PS_IMPORT_FIELD_UNIT_PRICE },
  { "itemcost", PS_IMPORT_FIELD_UNIT_PRICE },
  { "rate", PS_IMPORT_FIELD_UNIT_PRICE },

  { "linetotal", PS_IMPORT_FIELD_LINE_TOTAL },
  { "itemtotal", PS_IMPORT_FIELD_LINE_TOTAL },
  { "lineamount", PS_IMPORT_FIELD_LINE_TOTAL },
  { "lineprice", PS_IMPORT_FIELD_LINE_TOTAL },
  { "extendedprice", PS_IMPORT_FIELD_LINE_TOTAL },

  { "weight", PS_IMPORT_FIELD_WEIGHT },
  { "unitweight", PS_IMPORT_FIELD_WEIGHT },
  { "itemweight", PS_IMPORT_FIELD_WEIGHT },
  { "grams", PS_IMPORT_FIELD_WEIGHT },

  { "tracking", PS_IMPORT_FIELD_TRACKING_NUMBER },
  { "trackingnumber", PS_IMPORT_FIELD_TRACKING_NUMBER },
  { "trackingno", PS_IMPORT_FIELD_TRACKING_NUMBER },
  { "trackingcode", PS_IMPORT_FIELD_TRACKING_NUMBER },
  { "trackingid", PS_IMPORT_FIELD_TRACKING_NUMBER },
  { "awb", PS_IMPORT_FIELD_TRACKING_NUMBER },
};

/* Words a longer name may contain ("Ship To Zip/Postal Code",
 * "Customer E-mail"). Address words do not apply to billing columns. */
typedef struct
{
  const char    *word;
  PsImportField  field;
  gboolean       address;
} Word;

static const Word words[] = {
  { "email", PS_IMPORT_FIELD_CUSTOMER_EMAIL, FALSE },
  { "tracking", PS_IMPORT_FIELD_TRACKING_NUMBER, FALSE },
  { "zip", PS_IMPORT_FIELD_SHIP_POSTCODE, TRUE },
  { "postcode", PS_IMPORT_FIELD_SHIP_POSTCODE, TRUE },
  { "postal", PS_IMPORT_FIELD_SHIP_POSTCODE, TRUE },
  { "quantity", PS_IMPORT_FIELD_QUANTITY, FALSE },
  { "qty", PS_IMPORT_FIELD_QUANTITY, FALSE },
  { "sku", PS_IMPORT_FIELD_SKU, FALSE },
  { "weight", PS_IMPORT_FIELD_WEIGHT, FALSE },
  { "phone", PS_IMPORT_FIELD_CUSTOMER_PHONE, FALSE },
  { "country", PS_IMPORT_FIELD_SHIP_COUNTRY, TRUE },
  { "city", PS_IMPORT_FIELD_SHIP_CITY, TRUE },
  { "province", PS_IMPORT_FIELD_SHIP_STATE, TRUE },
  { "state", PS_IMPORT_FIELD_SHIP_STATE, TRUE },
  { "company", PS_IMPORT_FIELD_SHIP_COMPANY, TRUE },
  { "address2", PS_IMPORT_FIELD_SHIP_LINE2, TRUE },
  { "street2", PS_IMPORT_FIELD_SHIP_LINE2, TRUE },
  { "line2", PS_IMPORT_FIELD_SHIP_LINE2, TRUE },
  { "address", PS_IMPORT_FIELD_SHIP_LINE1, TRUE },
  { "street", PS_IMPORT_FIELD_SHIP_LINE1, TRUE },
  { "currency", PS_IMPORT_FIELD_CURRENCY, FALSE },
  { "subtotal", PS_IMPORT_FIELD_SUBTOTAL, FALSE },
  { "unitprice", PS_IMPORT_FIELD_UNIT_PRICE, FALSE },
  { "shipping", PS_IMPORT_FIELD_SHIPPING, FALSE },
  { "tax", PS_IMPORT_FIELD_TAX, FALSE },
  { "price", PS_IMPORT_FIELD_UNIT_PRICE, FALSE },
  { "total", PS_IMPORT_FIELD_TOTAL, FALSE },
  { "status", PS_IMPORT_FIELD_STATUS, FALSE },
  { "recipient", PS_IMPORT_FIELD_SHIP_NAME, TRUE },
  { "customer", PS_IMPORT_FIELD_CUSTOMER_NAME, FALSE },
  { "product", PS_IMPORT_FIELD_ITEM_NAME, FALSE },
  { "date", PS_IMPORT_FIELD_CREATED_AT, FALSE },
  { "order", PS_IMPORT_FIELD_ORDER_NUMBER, FALSE },
};

static void
entry_free (Entry *entry)
{
  g_free (entry->column);
  g_free (entry->normalized);
  g_free (entry);
}

static Entry *
find_entry (const PsImportMapping *self,
            const char            *column)
{
  g_autofree char *normalized = NULL;
  guint i;

  for (i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->column, column))
        return entry;
    }

  normalized = ps_import_header_normalize (column);
  if (*normalized == '\0')
    return NULL;

  for (i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->normalized, normalized))
        return entry;
    }

  return NULL;
}

/**
 * ps_import_field_to_nick:
 * @field: a #PsImportField
 *
 * Returns: (transfer none) (nullable): the stable nick of @field
 *   ("order_number", "ship_postcode", …), or %NULL if out of range
 */
const char *
ps_import_field_to_nick (PsImportField field)
{
  if ((guint) field >= G_N_ELEMENTS (field_nicks))
    return NULL;

  return field_nicks[field];
}

/**
 * ps_import_field_from_nick:
 * @nick: (nullable): a nick as returned by ps_import_field_to_nick()
 * @field: (out): where to store the field
 *
 * Returns: %TRUE if @nick names a field; @field is untouched otherwise
 */
gboolean
ps_import_field_from_nick (const char    *nick,
                           PsImportField *field)
{
  guint i;

  g_return_val_if_fail (field != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (field_nicks); i++)
    {
      if (g_str_equal (nick, field_nicks[i]))
        {
          *field = (PsImportField) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_import_mapping_new:
 *
 * Returns: (transfer full): an empty mapping: every column is ignored
 */
PsImportMapping *
ps_import_mapping_new (void)
{
  PsImportMapping *self = g_new0 (PsImportMapping, 1);

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  return self;
}

/**
 * ps_import_mapping_copy:
 * @self: a #PsImportMapping
 *
 * Returns: (transfer full): a deep copy of @self
 */
PsImportMapping *
ps_import_mapping_copy (const PsImportMapping *self)
{
  PsImportMapping *copy;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_import_mapping_new ();
  for (i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);
      Entry *dup = g_new0 (Entry, 1);

      dup->column = g_strdup (entry->column);
      dup->normalized = g_strdup (entry->normalized);
      dup->field = entry->field;
      g_ptr_array_add (copy->entries, dup);
    }

  return copy;
}

/**
 * ps_import_mapping_free:
 * @self: (transfer full) (nullable): a #PsImportMapping
 */
void
ps_import_mapping_free (PsImportMapping *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->entries);
  g_free (self);
}

/**
 * ps_import_mapping_set:
 * @self: a #PsImportMapping
 * @column: a column's header text, as in the file
 * @field: what the column holds; %PS_IMPORT_FIELD_IGNORE records that the
 *   column is deliberately not used
 *
 * Maps @column to @field, replacing an earlier choice for the same header
 * text.
 */
void
ps_import_mapping_set (PsImportMapping *self,
                       const char      *column,
                       PsImportField    field)
{
  Entry *entry = NULL;
  guint i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (column != NULL);
  g_return_if_fail ((guint) field <= PS_IMPORT_FIELD_LAST);

  for (i = 0; i < self->entries->len && entry == NULL; i++)
    {
      Entry *e = g_ptr_array_index (self->entries, i);

      if (g_str_equal (e->column, column))
        entry = e;
    }

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->column = g_strdup (column);
      entry->normalized = ps_import_header_normalize (column);
      g_ptr_array_add (self->entries, entry);
    }

  entry->field = field;
}

/**
 * ps_import_mapping_get:
 * @self: a #PsImportMapping
 * @column: a column's header text
 *
 * Looks @column up by its exact text, then by its normalized text (case,
 * spaces and punctuation ignored).
 *
 * Returns: the field @column is mapped to, %PS_IMPORT_FIELD_IGNORE if none
 */
PsImportField
ps_import_mapping_get (const PsImportMapping *self,
                       const char            *column)
{
  const Entry *entry;

  g_return_val_if_fail (self != NULL, PS_IMPORT_FIELD_IGNORE);
  g_return_val_if_fail (column != NULL, PS_IMPORT_FIELD_IGNORE);

  entry = find_entry (self, column);

  return entry != NULL ? entry->field : PS_IMPORT_FIELD_IGNORE;
}

/* Sample-value checks for columns whose name says nothing. */

static gboolean
looks_like_email (const char *value)
{
  const char *at = strchr (value, '@');

  return at != NULL && at != value && strchr (at, '.') != NULL && strchr (value, ' ') == NULL;
}

static gboolean
looks_like_date (const char *value)
{
  g_autoptr(GTimeZone) utc = NULL;
  gint64 t;

  /* ISO dates and the shop formats; plain numbers are not dates. */
  if (strspn (value, "0123456789.,") == strlen (value))
    return FALSE;

  utc = g_time_zone_new_utc ();

  return ps_parse_datetime (value, utc, &t);
}

static gboolean
looks_like_money (const char *value)
{
  gint64 minor;
  char currency[4] = "";

  return ps_parse_money (value, "USD", &minor, currency) && currency[0] != '\0';
}

static gboolean
looks_like_country (const char *value)
{
  return strlen (value) == 2 && g_ascii_isupper (value[0]) && g_ascii_isupper (value[1]) &&
         ps_country_code (value) != NULL;
}

typedef gboolean (*ValueCheck) (const char *value);

/* TRUE if every non-empty sample of @column passes @check, and there is at
 * least one. */
static gboolean
samples_pass (const char * const * const *sample_rows,
              guint                       n_samples,
              guint                       column,
              ValueCheck                  check)
{
  guint seen = 0;
  guint i;

  for (i = 0; i < n_samples; i++)
    {
      const char *value;
      guint n = 0;

      if (sample_rows[i] == NULL)
        continue;
      /* Sample rows may be ragged: count before indexing. */
      while (n <= column && sample_rows[i][n] != NULL)
        n++;
      if (n <= column)
        continue;

      value = sample_rows[i][column];
      while (*value == ' ')
        value++;
      if (*value == '\0')
        continue;
      if (!check (value))
        return FALSE;
      seen++;
    }

  return seen > 0;
}

/**
 * ps_import_mapping_guess:
 * @columns: (array length=n_columns): the header row
 * @n_columns: the number of columns
 * @sample_rows: (array length=n_samples) (nullable): the first data rows,
 *   each a %NULL-terminated array of cells
 * @n_samples: the number of sample rows
 *
 * Guesses what each column holds: from its name first (exact synonyms such
 * as "Order #", "Invoice", "Qty", "Postcode", then words in longer names),
 * then, for columns whose name says nothing, from the sample values (email
 * addresses, dates, amounts with a currency symbol, two-letter country
 * codes). Every field is given to one column at most, the first that fits.
 *
 * Returns: (transfer full): the guess; its unmapped columns are ignored
 */
PsImportMapping *
ps_import_mapping_guess (const char * const         *columns,
                         guint                       n_columns,
                         const char * const * const *sample_rows,
                         guint                       n_samples)
{
  g_autoptr(PsImportMapping) self = ps_import_mapping_new ();
  g_autofree PsImportField *chosen = NULL;
  g_autofree char **normalized = NULL;
  gboolean taken[PS_IMPORT_FIELD_LAST + 1] = { FALSE };
  guint i, j;

  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);

  chosen = g_new0 (PsImportField, MAX (n_columns, 1));
  normalized = g_new0 (char *, MAX (n_columns, 1));
  for (i = 0; i < n_columns; i++)
    normalized[i] = ps_import_header_normalize (columns[i] != NULL ? columns[i] : "");

  /* 1. Exact synonyms. */
  for (i = 0; i < n_columns; i++)
    {
      for (j = 0; j < G_N_ELEMENTS (synonyms); j++)
        {
          if (!taken[synonyms[j].field] && g_str_equal (normalized[i], synonyms[j].name))
            {
              chosen[i] = synonyms[j].field;
              taken[synonyms[j].field] = TRUE;
              break;
            }
        }
    }

  /* 2. Words in longer names. */
  for (i = 0; i < n_columns; i++)
    {
      gboolean billing;

      if (chosen[i] != PS_IMPORT_FIELD_IGNORE || *normalized[i] == '\0')
        continue;

      billing = strstr (normalized[i], "bill") != NULL;
      for (j = 0; j < G_N_ELEMENTS (words); j++)
        {
          if (taken[words[j].field] || (billing && words[j].address))
            continue;
          if (strstr (normalized[i], words[j].word) != NULL)
            {
              chosen[i] = words[j].field;
              taken[words[j].field] = TRUE;
              break;
            }
        }
    }

  /* 3. Values, for what is left. */
  for (i = 0; i < n_columns && sample_rows != NULL; i++)
    {
      PsImportField field = PS_IMPORT_FIELD_IGNORE;

      if (chosen[i] != PS_IMPORT_FIELD_IGNORE)
        continue;

      if (samples_pass (sample_rows, n_samples, i, looks_like_email))
        field = PS_IMPORT_FIELD_CUSTOMER_EMAIL;
      else if (samples_pass (sample_rows, n_samples, i, looks_like_country))
        field = PS_IMPORT_FIELD_SHIP_COUNTRY;
      else if (samples_pass (sample_rows, n_samples, i, looks_like_money))
        field = taken[PS_IMPORT_FIELD_TOTAL] ? PS_IMPORT_FIELD_UNIT_PRICE : PS_IMPORT_FIELD_TOTAL;
      else if (samples_pass (sample_rows, n_samples, i, looks_like_date))
        field = taken[PS_IMPORT_FIELD_CREATED_AT] ? PS_IMPORT_FIELD_PAID_AT : PS_IMPORT_FIELD_CREATED_AT;

      if (field != PS_IMPORT_FIELD_IGNORE && !taken[field])
        {
          chosen[i] = field;
          taken[field] = TRUE;
        }
    }

  for (i = 0; i < n_columns; i++)
    {
      if (columns[i] != NULL)
        ps_import_mapping_set (self, columns[i], chosen[i]);
      g_free (normalized[i]);
    }

  return g_steal_pointer (&self);
}

/**
 * ps_import_mapping_is_complete:
 * @self: a #PsImportMapping
 * @error: return location for a #GError
 *
 * A mapping is complete when a column holds the order number and no field
 * other than "ignore" is given to two columns.
 *
 * Returns: %TRUE if complete; else %FALSE with @error set to
 *   %PS_IMPORT_ERROR_BAD_MAPPING
 */
gboolean
ps_import_mapping_is_complete (const PsImportMapping  *self,
                               GError                **error)
{
  const Entry *seen[PS_IMPORT_FIELD_LAST + 1] = { NULL };
  guint i;

  g_return_val_if_fail (self != NULL, FALSE);

  for (i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->field == PS_IMPORT_FIELD_IGNORE)
        continue;
      if (seen[entry->field] != NULL)
        {
          g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING,
                       "Columns “%s” and “%s” are both mapped to %s",
                       seen[entry->field]->column, entry->column,
                       field_nicks[entry->field]);
          return FALSE;
        }
      seen[entry->field] = entry;
    }

  if (seen[PS_IMPORT_FIELD_ORDER_NUMBER] == NULL)
    {
      g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING,
                           "No column is mapped to the order number");
      return FALSE;
    }

  return TRUE;
}

/**
 * ps_import_mapping_to_json:
 * @self: a #PsImportMapping
 *
 * Serializes @self as `{"version": 1, "columns": [{"column": "Order #",
 * "field": "order_number"}, …]}`, in the order the columns were set.
 *
 * Returns: (transfer full): the JSON text
 */
char *
ps_import_mapping_to_json (const PsImportMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MAPPING_JSON_VERSION);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "column");
      json_builder_add_string_value (builder, entry->column);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field_nicks[entry->field]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/**
 * ps_import_mapping_from_json:
 * @json: text written by ps_import_mapping_to_json()
 * @error: return location for a #GError
 *
 * Entries with a field nick this version does not know (written by a newer
 * Postsale) are read as "ignore".
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with @error
 *   set to %PS_IMPORT_ERROR_BAD_MAPPING
 */
PsImportMapping *
ps_import_mapping_from_json (const char  *json,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PsImportMapping) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *columns_node;
  JsonArray *columns;
  guint i;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING,
                   "The saved mapping is not JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;

  object = json_node_get_object (root);
  columns_node = json_object_get_member (object, "columns");
  if (columns_node == NULL || !JSON_NODE_HOLDS_ARRAY (columns_node))
    goto invalid;

  self = ps_import_mapping_new ();
  columns = json_node_get_array (columns_node);
  for (i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *node = json_array_get_element (columns, i);
      JsonObject *entry;
      const char *column;
      const char *nick;
      PsImportField field = PS_IMPORT_FIELD_IGNORE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      entry = json_node_get_object (node);
      column = json_object_get_string_member_with_default (entry, "column", NULL);
      nick = json_object_get_string_member_with_default (entry, "field", NULL);
      if (column == NULL || nick == NULL)
        goto invalid;
      if (!ps_import_field_from_nick (nick, &field))
        g_debug ("Unknown field “%s” in a saved mapping, ignoring column “%s”", nick, column);

      ps_import_mapping_set (self, column, field);
    }

  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING,
                       "The saved mapping does not have the expected shape");
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * ps_import_mapping_source_key:
 * @columns: (array length=n_columns): a header row
 * @n_columns: the number of columns
 *
 * A key for the layout of a file: the SHA-256 of its normalized, sorted
 * column names. Changes of case, spacing, punctuation or column order do
 * not change it; an added, removed or renamed column does.
 *
 * Returns: (transfer full): a lowercase hex string
 */
char *
ps_import_mapping_source_key (const char * const *columns,
                              guint               n_columns)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint i;

  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);

  for (i = 0; i < n_columns; i++)
    {
      char *name = ps_import_header_normalize (columns[i] != NULL ? columns[i] : "");

      if (*name == '\0')
        g_free (name);
      else
        g_ptr_array_add (names, name);
    }

  g_ptr_array_sort (names, compare_names);

  g_checksum_update (checksum, (const guchar *) "ps-import-source/1", -1);
  for (i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      char prefix[24];

      g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", strlen (name));
      g_checksum_update (checksum, (const guchar *) prefix, -1);
      g_checksum_update (checksum, (const guchar *) name, -1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* Private */

/* The number of columns @self has a choice for (ignored ones included). */
guint
_ps_import_mapping_get_n_columns (const PsImportMapping *self)
{
  return self->entries->len;
}

/* The header text of the @index-th column set, and its field. */
const char *
_ps_import_mapping_get_column (const PsImportMapping *self,
                               guint                  index,
                               PsImportField         *field)
{
  const Entry *entry = g_ptr_array_index (self->entries, index);

  *field = entry->field;

  return entry->column;
}

/* "weightkg" -> "kg": the unit of bare numbers in a weight column. */
const char *
_ps_import_weight_unit_for_header (const char *normalized)
{
  if (strstr (normalized, "kg") != NULL || strstr (normalized, "kilo") != NULL)
    return "kg";
  if (strstr (normalized, "lb") != NULL || strstr (normalized, "pound") != NULL)
    return "lb";
  if (strstr (normalized, "oz") != NULL || strstr (normalized, "ounce") != NULL)
    return "oz";

  return "g";
}
