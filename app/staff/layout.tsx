import type { ReactNode } from "react";
import { getViewer } from "@/server/viewer";
import { isStaff } from "@/lib/auth/load-viewer";
import { StaffNav } from "./staff-nav";

// The navigation only; each page under /staff checks the staff role itself.
export default async function StaffLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  return (
    <>
      {isStaff(viewer) ? <StaffNav role={viewer.role} /> : null}
      {children}
    </>
  );
}
