import type { ReactNode } from 'react';

/** The id of a field's hint, for the control's `aria-describedby`. */
export function hintId(id: string): string {
  return `${id}-hint`;
}

export interface FieldProps {
  /** The control's id; the label points at it. */
  id: string;
  label: string;
  hint?: ReactNode;
  /** Shown next to the label when enterprise policy sets the value. */
  lockedNote?: string;
  children: ReactNode;
}

/** A labelled form control with an optional hint and a "set by your organisation" badge. */
export function Field({ id, label, hint, lockedNote, children }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {lockedNote !== undefined && <span className="policy-badge">{lockedNote}</span>}
      </label>
      {children}
      {hint !== undefined && (
        <span className="hint" id={hintId(id)}>
          {hint}
        </span>
      )}
    </div>
  );
}
