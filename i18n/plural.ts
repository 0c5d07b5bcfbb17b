/**
 * Plural forms by Intl.PluralRules, so each language gives the forms it has: English one/other, Russian
 * one/few/many ("1 час", "2 часа", "5 часов"), Japanese other only. Rules are built once per language.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string };

const rules = new Map<string, Intl.PluralRules>();

function pluralForm(language: string, n: number, forms: PluralForms): string {
  let rule = rules.get(language);
  if (!rule) {
    rule = new Intl.PluralRules(language);
    rules.set(language, rule);
  }
  return forms[rule.select(n)] ?? forms.other;
}

/** "{n} {form}" with the form for n; `{n}` in a form puts the number elsewhere ("{n}時間"). */
export function countOf(language: string, n: number, forms: PluralForms): string {
  const form = pluralForm(language, n, forms);
  return form.includes('{n}') ? form.replace('{n}', String(n)) : `${n} ${form}`;
}
