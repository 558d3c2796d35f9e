/** True for the staff dashboard's addresses, which stay in English (and show no language switcher). */
export function isStaffPath(pathname: string): boolean {
  return pathname === "/staff" || pathname.startsWith("/staff/");
}
