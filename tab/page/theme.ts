/** The Teams themes a tab follows: from the context, registerOnThemeChangeHandler, or a {theme} URL hint before either. */
export type TeamsTheme = 'default' | 'dark' | 'contrast';

function themeOf(value: string | null | undefined): TeamsTheme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

export function applyTheme(value: string | null | undefined): TeamsTheme {
  const theme = themeOf(value);
  if (document.documentElement.dataset.theme !== theme) document.documentElement.dataset.theme = theme;
  return theme;
}
