import { CameraOutlined, CloseOutlined, PictureOutlined } from '@ant-design/icons';
import { VISIT_MAX_PHOTO_BYTES, VISIT_MAX_PHOTOS } from '@shuangyong/shared';
import { App, Button } from 'antd';
import { type ChangeEvent, useRef } from 'react';
import { t } from '../../i18n';
import type { PhotoType } from './drafts';
import styles from './visits.module.css';

/** A photo picked in the form: the file, what the server will be told it is, and its local preview. */
export interface PickedPhoto {
  id: string;
  blob: Blob;
  name: string;
  type: PhotoType;
  size: number;
  /** An object URL: revoke it when the photo leaves the form. */
  url: string;
}

const ACCEPT = 'image/jpeg,image/png';

/** `8 MB`, `12.3 MB`. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** JPEG or PNG by the file's first bytes (phones do not always give a type, and a name proves nothing). */
async function sniff(file: Blob): Promise<PhotoType | null> {
  const b = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  return null;
}

export function revokePhotos(photos: readonly PickedPhoto[]): void {
  for (const p of photos) URL.revokeObjectURL(p.url);
}

/**
 * Photos for the visit, phone-first: the camera, or several from the album, shown as local
 * previews with a remove button. Files the server would refuse for their size or type are refused
 * here with the reason, and no more than the server keeps per visit are taken.
 */
export function PhotoPicker({
  value,
  onChange,
  max = VISIT_MAX_PHOTOS,
}: {
  value: PickedPhoto[];
  onChange: (next: PickedPhoto[]) => void;
  /** Photos the visit may still take (a saved visit has some already). */
  max?: number;
}) {
  const { message } = App.useApp();
  const camera = useRef<HTMLInputElement>(null);
  const album = useRef<HTMLInputElement>(null);

  const add = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file may be picked again once removed
    const added: PickedPhoto[] = [];
    let over = 0;
    for (const file of files) {
      if (file.size > VISIT_MAX_PHOTO_BYTES) {
        message.error(
          t('web.visits.photoTooBig', {
            name: file.name,
            size: megabytes(file.size),
            limit: megabytes(VISIT_MAX_PHOTO_BYTES),
          }),
        );
        continue;
      }
      const type = await sniff(file);
      if (!type) {
        message.error(t('web.visits.photoNotImage', { name: file.name }));
        continue;
      }
      if (value.length + added.length >= max) {
        over++;
        continue;
      }
      added.push({
        id: crypto.randomUUID(),
        blob: file,
        name: file.name,
        type,
        size: file.size,
        url: URL.createObjectURL(file),
      });
    }
    if (over) message.warning(t('web.visits.photoTooMany', { max: VISIT_MAX_PHOTOS, n: over }));
    if (added.length) onChange([...value, ...added]);
  };

  const remove = (p: PickedPhoto) => {
    URL.revokeObjectURL(p.url);
    onChange(value.filter((x) => x.id !== p.id));
  };

  const full = value.length >= max;
  return (
    <div className={styles.photos} data-testid="visit-photos">
      {value.map((p, i) => (
        <div key={p.id} className={styles.photoTile} data-testid="visit-photo-preview">
          <img src={p.url} alt={t('web.visits.photoAlt', { n: i + 1 })} className={styles.photoImg} />
          <Button
            size="small"
            shape="circle"
            icon={<CloseOutlined />}
            className={styles.photoRemove}
            aria-label={t('web.visits.photoRemove')}
            title={t('web.visits.photoRemove')}
            onClick={() => remove(p)}
            data-testid="visit-photo-remove"
          />
        </div>
      ))}
      {!full && (
        <>
          <Button type="dashed" className={styles.photoAdd} onClick={() => camera.current?.click()}>
            <CameraOutlined className={styles.photoAddIcon} />
            {t('web.visits.photoCamera')}
          </Button>
          <Button type="dashed" className={styles.photoAdd} onClick={() => album.current?.click()}>
            <PictureOutlined className={styles.photoAddIcon} />
            {t('web.visits.photoAlbum')}
          </Button>
        </>
      )}
      <input
        ref={camera}
        type="file"
        accept={ACCEPT}
        capture="environment"
        hidden
        onChange={add}
        data-testid="visit-photo-camera"
      />
      <input ref={album} type="file" accept={ACCEPT} multiple hidden onChange={add} data-testid="visit-photo-input" />
    </div>
  );
}
