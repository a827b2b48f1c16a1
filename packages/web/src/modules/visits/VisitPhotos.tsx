import type { Visit } from '@shuangyong/shared';
import { Image } from 'antd';
import { photoUrl } from '../../api/visits';
import { t } from '../../i18n';
import styles from './visits.module.css';

/** The photos of a saved visit: thumbnails (loaded when scrolled to); a click shows the full-size photo. */
export function VisitPhotos({ visit }: { visit: Pick<Visit, 'photos'> }) {
  if (!visit.photos.length) return null;
  return (
    <Image.PreviewGroup>
      <div className={styles.thumbs}>
        {visit.photos.map((p, i) => (
          <Image
            key={p.id}
            src={photoUrl(p.id, true)}
            preview={{ src: photoUrl(p.id) }}
            alt={t('web.visits.photoAlt', { n: i + 1 })}
            loading="lazy"
            width={64}
            height={64}
            className={styles.thumb}
            data-testid="visit-photo-thumb"
          />
        ))}
      </div>
    </Image.PreviewGroup>
  );
}
