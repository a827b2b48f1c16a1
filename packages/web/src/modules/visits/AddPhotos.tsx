import { CameraOutlined } from '@ant-design/icons';
import { VISIT_MAX_PHOTO_BYTES, VISIT_MAX_PHOTOS, type Visit } from '@shuangyong/shared';
import { App, Button, Modal, Progress, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { visitsApi } from '../../api/visits';
import { t } from '../../i18n';
import { megabytes, PhotoPicker, type PickedPhoto, revokePhotos } from './PhotoPicker';

/**
 * Photos added to a visit already saved (taken later, or left out in the field): picked and checked
 * as in the form, then sent one by one with progress. A photo the server refuses, or that the
 * network loses, stays in the dialog with the reason, to be sent again or removed.
 */
export function AddPhotos({ visit, onAdded }: { visit: Visit; onAdded: () => void }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<PickedPhoto[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const room = VISIT_MAX_PHOTOS - visit.photos.length;
  if (room <= 0) return null;

  const close = () => {
    revokePhotos(picked);
    setPicked([]);
    setOpen(false);
  };

  const send = async () => {
    const left: PickedPhoto[] = [];
    let sent = 0;
    setProgress(0);
    for (const [i, p] of picked.entries()) {
      try {
        await visitsApi.uploadPhoto(visit.id, p.blob, p.type);
        URL.revokeObjectURL(p.url);
        sent++;
      } catch (err) {
        left.push(p);
        const reason = err instanceof ApiError ? err.display : t('web.error.network');
        message.error(t('web.visits.photoRefused', { target: visit.targetName, name: p.name, message: reason }));
      }
      setProgress(Math.round(((i + 1) / picked.length) * 100));
    }
    setProgress(null);
    setPicked(left);
    if (sent) {
      message.success(t('web.visits.photosAdded', { n: sent }));
      onAdded();
    }
    if (!left.length) setOpen(false);
  };

  return (
    <>
      <Button size="small" icon={<CameraOutlined />} onClick={() => setOpen(true)} data-testid="visit-add-photos">
        {t('web.visits.addPhotos')}
      </Button>
      <Modal
        open={open}
        title={t('web.visits.addPhotosTitle', { target: visit.targetName })}
        okText={t('web.visits.addPhotosSend')}
        okButtonProps={{ disabled: !picked.length, loading: progress !== null, 'data-testid': 'visit-add-photos-send' }}
        onOk={send}
        onCancel={close}
        maskClosable={false}
      >
        <Typography.Paragraph type="secondary">
          {t('web.visits.photoLimit', { max: VISIT_MAX_PHOTOS, size: megabytes(VISIT_MAX_PHOTO_BYTES) })}
        </Typography.Paragraph>
        <PhotoPicker value={picked} onChange={setPicked} max={room} />
        {progress !== null && <Progress percent={progress} size="small" />}
      </Modal>
    </>
  );
}
